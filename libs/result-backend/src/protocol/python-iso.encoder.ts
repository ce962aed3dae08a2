/**
 * Python's `datetime.isoformat()` of a JS `Date`. Pure, no I/O.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Python's `isoformat()` of a JS `Date` shifted by `offsetMinutes` from UTC, without the offset
 * suffix: `YYYY-MM-DDTHH:MM:SS.ffffff`, the fraction left out entirely when zero (JS dates have
 * milliseconds, so it is `.123000`). Throws a `TypeError` for an invalid date or a year Python
 * cannot hold (outside 1..9999).
 * @internal
 */
export function isoFormatUtc(date: Date, offsetMinutes = 0): string {
  const time = date.getTime() + offsetMinutes * 60000;
  const d = new Date(time);
  const year = d.getUTCFullYear();
  if (Number.isNaN(time) || year < 1 || year > 9999) {
    throw new TypeError(`Cannot encode ${String(date)} as a Python datetime`);
  }
  const base =
    `${pad(year, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms, 3)}000`;
}
