import type { LoggerService } from '@nestjs/common';

/**
 * What every store factory receives besides its own config.
 * @publicApi
 */
export interface StoreContext {
  /** Logger for connection events; never given secrets. */
  readonly logger: LoggerService;
  /** Polling interval (ms) the store may use for its own fallbacks (e.g. filesystem). */
  readonly pollIntervalMs: number;
}
