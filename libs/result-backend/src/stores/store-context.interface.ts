import type { LoggerService } from '@nestjs/common';

/**
 * Where the parts of one backend instance (connections, subscriber, changes feed, LISTEN
 * client, the watch engine's reads) report outages. The library's implementation logs one
 * warning when the first part goes down and one line when the last part is up again.
 * @publicApi
 */
export interface OutageReporter {
  /** `part` (e.g. `connection`, `subscriber`) failed with `cause`; repeated calls are no-ops. */
  down(part: string, cause: unknown): void;
  /** `part` works (again); a no-op when it was not down. */
  up(part: string): void;
}

/**
 * What every store factory receives besides its own config.
 * @publicApi
 */
export interface StoreContext {
  /**
   * The backend's masked description, computed once by the factory (`describeBackend`); a
   * store built directly without it describes itself.
   */
  readonly description?: string;
  /** Logger for connection events; never given secrets. */
  readonly logger: LoggerService;
  /** Polling interval (ms) the store may use for its own fallbacks (e.g. filesystem). */
  readonly pollIntervalMs: number;
  /**
   * The backend instance's one outage log, shared by every part of the store and the watch
   * engine (one line when an outage starts, one when it ends); a store built without it makes
   * its own.
   */
  readonly outage?: OutageReporter;
}
