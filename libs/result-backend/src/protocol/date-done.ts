/**
 * `date_done` as Celery writes and reads it. Pure helpers; reading never throws.
 */

import { isoFormatUtc } from './python-iso.encoder.js';

/** ISO date-time with an optional fraction and offset, as Celery's `parse_iso8601` reads. */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Celery 5.2.6's `date_done`: `datetime.utcnow().isoformat()`, i.e. naive UTC
 * `YYYY-MM-DDTHH:MM:SS.ffffff`, with the fraction left out entirely when it is zero. JS
 * dates have milliseconds, so the fraction is `.123000`. Throws a `TypeError` for an invalid
 * date or a year Python cannot hold (outside 1..9999). For newer Celery forms see
 * `formatDateDoneFor`.
 * @publicApi
 */
export function formatDateDone(date: Date): string {
  return isoFormatUtc(date);
}

/**
 * Parse a stored `date_done`: naive ISO text (= UTC, Celery ≤ 5.4), or with `Z` or a
 * `+HH:MM` offset (Celery 5.5+); a space instead of `T` and date-only text are accepted like
 * Celery's own parser. Fractions beyond milliseconds are truncated. Anything else, including
 * impossible dates, gives `null`: never throws.
 * @publicApi
 */
export function parseDateDone(text: string | null | undefined): Date | null {
  if (typeof text !== 'string') return null;
  const m = ISO_DATE_TIME.exec(text.trim());
  if (!m) return null;
  // Direct field reads (no per-field closures or arrays): every read parses one date_done.
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7];
  const ms =
    fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return null;
  const year = Number(m[1]);
  if (day > daysInMonth(year, month)) return null; // e.g. 2024-02-30
  let time = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) {
    // Date.UTC reads years 0..99 as 1900..1999.
    const date = new Date(time);
    date.setUTCFullYear(year, month - 1, day);
    time = date.getTime();
  }
  const offset = m[8];
  if (offset && offset !== 'Z') {
    const digits = offset.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5) || '0');
    if (hours > 23 || minutes > 59) return null;
    const sign = offset.startsWith('-') ? -1 : 1;
    time -= sign * (hours * 60 + minutes) * 60000;
  }
  return new Date(time);
}

/** Days in `month` (1..12) of `year` in the proleptic Gregorian calendar (as JS `Date`). */
function daysInMonth(year: number, month: number): number {
  if (month !== 2)
    return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
