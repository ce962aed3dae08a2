import type { LoggerService } from '@nestjs/common';

/**
 * Logs an outage once: one warning when the first failure arrives, one line when a call
 * succeeds again, nothing in between (no line per retry or reconnect attempt).
 * @internal
 */
export class OutageLog {
  private down = false;

  constructor(
    private readonly logger: LoggerService,
    /** Masked store description, for the log lines. */
    private readonly description: string,
    /** What failed, e.g. `read` or `connection`. */
    private readonly what = 'read',
  ) {}

  /** Whether an outage is in progress. */
  get failing(): boolean {
    return this.down;
  }

  /** A call failed: log the start of an outage unless one is already logged. */
  failed(err: unknown): void {
    if (this.down) return;
    this.down = true;
    const reason = err instanceof Error ? err.message : String(err);
    this.logger.warn?.(
      `Result store ${this.description} ${this.what} failed, retrying: ${reason}`,
    );
  }

  /** A call succeeded: log the end of the outage, if there was one. */
  recovered(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log?.(`Result store ${this.description} reachable again`);
  }
}
