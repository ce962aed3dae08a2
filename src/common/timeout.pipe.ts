import {
  BadRequestException,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';

/** Longest long-poll a client may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 300;
/** Long-poll time when `timeout` is not given, in seconds. */
export const DEFAULT_WAIT_SECONDS = 10;

/**
 * `?timeout=<seconds>` of the long-poll: a number from 0 to 300 (decimals allowed), default
 * 10. Anything else is a 400 with a clear message. Returns milliseconds.
 */
@Injectable()
export class TimeoutPipe implements PipeTransform<unknown, number> {
  /** Parse and bound the timeout; returns ms. */
  transform(value: unknown): number {
    if (value === undefined) return DEFAULT_WAIT_SECONDS * 1000;
    const text = typeof value === 'string' ? value.trim() : '';
    const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(seconds) || seconds > MAX_WAIT_SECONDS) {
      throw new BadRequestException(
        `timeout must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}, got ${shown(value)}`,
      );
    }
    return Math.round(seconds * 1000);
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 50));
  return Array.isArray(value) ? `${value.length} values` : typeof value;
}
