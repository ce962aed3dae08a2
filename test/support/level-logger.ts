/**
 * A Nest logger for tests that keeps every line prefixed with its level (`LOG`, `WARN`,
 * `ERROR`, `DEBUG`, `VERBOSE`), so a test can count the lines of one level.
 */
import type { LoggerService } from '@nestjs/common';

/** Keeps every line with its level, debug included. */
export class LevelLogger implements LoggerService {
  readonly lines: string[] = [];
  log(m: unknown): void {
    this.lines.push(`LOG ${String(m)}`);
  }
  warn(m: unknown): void {
    this.lines.push(`WARN ${String(m)}`);
  }
  error(m: unknown): void {
    this.lines.push(`ERROR ${String(m)}`);
  }
  debug(m: unknown): void {
    this.lines.push(`DEBUG ${String(m)}`);
  }
  verbose(m: unknown): void {
    this.lines.push(`VERBOSE ${String(m)}`);
  }
}
