/**
 * TTLs in memcached's `exptime` terms.
 */

/** Memcached reads an `exptime` above this (30 days, in seconds) as an absolute Unix time. @internal */
export const MEMCACHED_RELATIVE_TTL_LIMIT = 60 * 60 * 24 * 30;

/**
 * The `exptime` to send for a TTL in seconds. `null` or 0 = never expire (0). Fractions are cut
 * as Celery's `int()` does, but a TTL under one second stays 1 (not "never"). A TTL over 30 days
 * becomes the absolute time `now + ttl`, since memcached would read the plain number as a Unix
 * time in 1970 and drop the entry at once (what Celery itself does there). Negative = expired.
 * @internal
 */
export function toExptime(
  ttl: number | null,
  nowMs: number = Date.now(),
): number {
  if (ttl === null || ttl === 0 || Number.isNaN(ttl)) return 0;
  if (ttl < 0) return -1;
  const seconds = Math.max(1, Math.floor(ttl));
  if (seconds <= MEMCACHED_RELATIVE_TTL_LIMIT) return seconds;
  return Math.floor(nowMs / 1000) + seconds;
}
