/**
 * TTL checks that hold on a slow machine: a server reports the time left, which shrinks with the
 * seconds that passed since the write, so an exact `toBe(86400)` depends on machine speed.
 */

/** What `ttlWindow` returns: checks a TTL read after the write it was started before. */
export type TtlCheck = (ttl: number | null) => void;

/**
 * Start before a write with a TTL of `seconds`; the returned check asserts a TTL read afterwards
 * lies in `[seconds - elapsedCeil - 1, seconds + above]` (elapsed = whole seconds since
 * the start, rounded up; the 1 covers servers with a one-second clock and rounding).
 * `above` admits servers that round an absolute expiry up (memcached over 30 days).
 */
export function ttlWindow(seconds: number, above = 0): TtlCheck {
  const start = performance.now();
  return (ttl) => {
    const elapsed = Math.ceil((performance.now() - start) / 1000);
    expect(ttl).toBeGreaterThanOrEqual(seconds - elapsed - 1);
    expect(ttl).toBeLessThanOrEqual(seconds + above);
  };
}
