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
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) =>
    Number(m[i] ?? 0),
  ) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  if (date.getUTCDate() !== day) return null; // e.g. 2024-02-30
  const offset = m[8];
  if (offset && offset !== 'Z') {
    const digits = offset.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5) || '0');
    if (hours > 23 || minutes > 59) return null;
    const sign = offset.startsWith('-') ? -1 : 1;
    date.setTime(date.getTime() - sign * (hours * 60 + minutes) * 60000);
  }
  return date;
}
