import {
  MEMCACHED_RELATIVE_TTL_LIMIT,
  toExptime,
} from './memcached-expiry.encoder.js';

describe('toExptime', () => {
  const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

  it('maps null and 0 to 0 (never expire)', () => {
    expect(toExptime(null, now)).toBe(0);
    expect(toExptime(0, now)).toBe(0);
  });

  it('keeps TTLs up to 30 days relative, cutting fractions like Celery', () => {
    expect(toExptime(86400, now)).toBe(86400);
    expect(toExptime(10.7, now)).toBe(10);
    expect(toExptime(MEMCACHED_RELATIVE_TTL_LIMIT, now)).toBe(2592000);
  });

  it('never turns a sub-second TTL into "never expire"', () => {
    expect(toExptime(0.4, now)).toBe(1);
  });

  it('turns TTLs over 30 days into an absolute Unix time', () => {
    expect(toExptime(MEMCACHED_RELATIVE_TTL_LIMIT + 1, now)).toBe(
      Math.floor(now / 1000) + 2592001,
    );
    expect(toExptime(90 * 86400, now)).toBe(
      Math.floor(now / 1000) + 90 * 86400,
    );
  });

  it('makes a negative TTL expire at once', () => {
    expect(toExptime(-5, now)).toBe(-1);
  });
});
