import type { LoggerService } from '@nestjs/common';

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
}
