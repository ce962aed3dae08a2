import type { LoggerService } from '@nestjs/common';

export type { OutageReporter } from '../utils/outage-reporter.interface.js';
import type { OutageReporter } from '../utils/outage-reporter.interface.js';

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
