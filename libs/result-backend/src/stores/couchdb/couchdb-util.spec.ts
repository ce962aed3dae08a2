import { couchServerUrl, describeCouchDb } from './couchdb-http.client.js';
import { isSuccessValue, readyDoneAt } from './couchdb-meta.decoder.js';
import { jitteredBackoffMs } from './couchdb.retry.js';

describe('couchdb meta helpers', () => {
  it.each([
    ['{"status": "SUCCESS", "result": 1}', true],
    ['{"result": NaN, "status": "SUCCESS"}', true],
    ['{"status": "FAILURE", "result": "SUCCESS"}', false],
    ['"SUCCESS"', false],
    ['not json "SUCCESS"', false],
    ['', false],
    [undefined, false],
  ])(
    'recognises SUCCESS documents, including ones plain JSON.parse refuses: %p is %p',
    (raw, success) => {
      expect(isSuccessValue(raw)).toBe(success);
    },
  );

  it('reads date_done of ready results only', () => {
    expect(
      readyDoneAt(
        '{"status": "SUCCESS", "date_done": "2026-01-02T03:04:05.123456"}',
      ),
    ).toEqual(new Date('2026-01-02T03:04:05.123Z'));
    expect(
      readyDoneAt(
        '{"status": "REVOKED", "result": Infinity, "date_done": "2026-01-02T03:04:05+01:00"}',
      ),
    ).toEqual(new Date('2026-01-02T02:04:05Z'));
    expect(
      readyDoneAt('{"status": "STARTED", "date_done": "2026-01-02T03:04:05"}'),
    ).toBeNull();
    expect(readyDoneAt('{"status": "SUCCESS", "date_done": null}')).toBeNull();
    expect(readyDoneAt('{"result": [], "date_done": "2026-01-02"}')).toBeNull();
    expect(
      readyDoneAt('{"status": "SUCCESS", "date_done": "yesterday"}'),
    ).toBeNull();
  });
});

describe('couchdb connection helpers', () => {
  const base = {
    kind: 'couchdb',
    host: 'h',
    port: 5984,
    database: 'db',
  } as const;

  it('masks the password in the description', () => {
    expect(
      describeCouchDb({
        ...base,
        protocol: 'http',
        username: 'u',
        password: 'p@ss',
      }),
    ).toBe('couchdb://u:***@h:5984/db');
    expect(describeCouchDb({ ...base, protocol: 'https' })).toBe(
      'couchdbs://h:5984/db',
    );
  });

  it('builds the server URL with encoded credentials and bracketed IPv6 hosts', () => {
    expect(
      couchServerUrl({
        ...base,
        protocol: 'http',
        username: 'u',
        password: 'p@ss/:',
      }),
    ).toBe('http://u:p%40ss%2F%3A@h:5984');
    expect(couchServerUrl({ ...base, host: '::1', protocol: 'https' })).toBe(
      'https://[::1]:5984',
    );
    // Celery only sends basic auth when both are given.
    expect(couchServerUrl({ ...base, protocol: 'http', username: 'u' })).toBe(
      'http://h:5984',
    );
  });

  it('keeps backoff within its bounds', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ms = jitteredBackoffMs(attempt);
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThan(400);
    }
  });
});
