import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';
import { parseBackendUrl } from '../backend-url.parser.js';
import {
  configError,
  parserOf,
  urlRefusal,
} from '../../../../../test/support/config-error.js';

const redis = parserOf('redis');

// Expectations checked against Celery 5.2.6 RedisBackend(url=...).connparams.
describe('parseBackendUrl: redis://, rediss://, redis+socket://', () => {
  it.each([
    ['redis://', { host: 'localhost', port: 6379, db: 0 }],
    ['redis://h', { host: 'h', port: 6379, db: 0 }],
    ['redis://h/', { db: 0 }],
    ['redis://h:6380//1', { port: 6380, db: 1 }],
    ['redis://h/%31', { db: 1 }],
    ['redis://H.Example.COM/0', { host: 'h.example.com' }],
    ['redis://[::1]:6380/2', { host: '::1', port: 6380, db: 2 }],
    ['  redis://h/3 \n', { db: 3 }],
    ['REDIS://h/3', { db: 3 }],
  ])('reads %j like Celery: host, port, db, defaults', (url, fields) => {
    expect(redis(url)).toMatchObject(fields);
  });

  it('takes host, port, db and credentials from a full URL', () => {
    expect(redis('redis://u%40x:p%3Aw@h:1/2')).toEqual({
      kind: 'redis',
      host: 'h',
      port: 1,
      db: 2,
      username: 'u@x',
      password: 'p:w',
      socketTimeout: 120,
      query: {},
    });
  });

  it('keeps an unencoded @ in the password (last @ splits) and decodes encoded ones', () => {
    expect(redis('redis://:p@ss@h/0')).toMatchObject({
      host: 'h',
      password: 'p@ss',
    });
    expect(redis('redis://:p%40ss%3Aw%2Frd%2540@h/0').password).toBe(
      'p@ss:w/rd%40',
    );
    expect(redis('redis://:pw@h/0').username).toBeUndefined();
  });

  it('lets query parameters override, as Celery does', () => {
    const c = redis(
      'redis://u:p@h/1?db=3&password=q&username=v&virtual_host=5&foo=bar',
    );
    expect(c).toMatchObject({
      db: 3,
      password: 'q',
      username: 'v',
      query: { foo: 'bar' },
    });
    expect(c.query).not.toHaveProperty('virtual_host');
  });

  it('types socket timeouts (query wins over settings) and checks integer params', () => {
    expect(
      redis('redis://h/0?socket_timeout=3&socket_connect_timeout=1.5'),
    ).toMatchObject({
      socketTimeout: 3,
      socketConnectTimeout: 1.5,
      query: {},
    });
    const settings = { redis: { socketTimeout: 9, socketConnectTimeout: 4 } };
    expect(redis('redis://h/0', settings)).toMatchObject({
      socketTimeout: 9,
      socketConnectTimeout: 4,
    });
    expect(redis('redis://h/0?socket_timeout=2', settings).socketTimeout).toBe(
      2,
    );
    expect(
      redis('redis://h/0?max_connections=10&retry_on_timeout=true').query,
    ).toEqual({
      max_connections: '10',
      retry_on_timeout: 'true',
    });
    for (const bad of [
      'socket_timeout=abc',
      'socket_timeout=0',
      'socket_connect_timeout=-1',
      'max_connections=x',
    ]) {
      const err = configError(() =>
        parseBackendUrl(`redis://:hunter22@h/0?${bad}`),
      );
      expect(err.setting).toBe('CELERY_RESULT_BACKEND');
      expect(err.message).toContain(bad.split('=')[0]);
      expect(err.message).not.toContain('hunter22');
    }
  });

  it('uses redis_username / redis_password settings only when the URL has none', () => {
    const settings = { redis: { username: 'su', password: 'sp' } };
    expect(redis('redis://h/0', settings)).toMatchObject({
      username: 'su',
      password: 'sp',
    });
    expect(redis('redis://u:p@h/0', settings)).toMatchObject({
      username: 'u',
      password: 'p',
    });
  });

  it.each([
    'redis://:s3cret!@h:abc/0',
    'redis://:s3cret!@h:99999/0',
    'redis://:s3cret!@h:0/0',
    'redis://:s3cret!@h/x',
    'redis://:s3cret!@h/-1',
    'redis://:s3cret!@h/0?db=two',
  ])(
    'refuses the bad port or database in %s with the setting, an example and no password',
    (url) => {
      const err = urlRefusal(url, 'redis://', 's3cret');
      expect(err.example).toBe('redis://:password@localhost:6379/0');
    },
  );

  describe('TLS', () => {
    it('reads rediss:// ssl_* keys (decoded twice, as Celery) and removes them from the query', () => {
      expect(
        redis(
          'rediss://:pw@h:6380/0?ssl_cert_reqs=CERT_NONE&ssl_ca_certs=%2Fa%252Fb&ssl_certfile=/c.pem&ssl_keyfile=/k.pem&x=1',
        ),
      ).toMatchObject({
        port: 6380,
        tls: {
          certReqs: 'none',
          caCerts: '/a/b',
          certFile: '/c.pem',
          keyFile: '/k.pem',
        },
        query: { x: '1' },
      });
      for (const [value, expected] of [
        ['required', 'required'],
        ['optional', 'optional'],
        ['none', 'none'],
        ['CERT_REQUIRED', 'required'],
        ['CERT_OPTIONAL', 'optional'],
      ]) {
        expect(redis(`rediss://h/0?ssl_cert_reqs=${value}`).tls?.certReqs).toBe(
          expected,
        );
      }
    });

    it.each([
      'rediss://:s3cret!@h/0',
      'rediss://:s3cret!@h/0?ssl_cert_reqs=Required',
      'rediss://:s3cret!@h/0?ssl_cert_reqs=',
    ])('requires a valid ssl_cert_reqs in the URL %s', (url) => {
      expect(urlRefusal(url, 'rediss://', 's3cret').message).toContain(
        'ssl_cert_reqs',
      );
    });

    it('requires a valid ssl_cert_reqs with rediss:// in the settings', () => {
      const settings = {
        redis: { tls: { certReqs: 'required', caCerts: '/ca.pem' } },
      };
      expect(redis('rediss://h/0', settings).tls).toEqual({
        certReqs: 'required',
        caCerts: '/ca.pem',
      });
      expect(redis('rediss://h/0?ssl_cert_reqs=none', settings).tls).toEqual({
        certReqs: 'none',
        caCerts: '/ca.pem',
      });
      expect(() =>
        parseBackendUrl('rediss://h/0', {
          redis: { tls: { certReqs: 'bogus' } },
        }),
      ).toThrow(/ssl_cert_reqs/);
    });

    it('refuses ssl_* keys and TLS settings with plain redis:// (Celery 5.2.6 ValueError)', () => {
      for (const key of [
        'ssl_cert_reqs=none',
        'ssl_ca_certs=/a',
        'ssl_certfile=/c',
        'ssl_keyfile=/k',
      ]) {
        const err = configError(() =>
          parseBackendUrl(`redis://:s3cret!@h/0?${key}`),
        );
        expect(err.message).toContain('rediss://');
        expect(err.message).not.toContain('s3cret');
      }
      expect(() =>
        parseBackendUrl('redis://h/0', {
          redis: { tls: { certReqs: 'required' } },
        }),
      ).toThrow(/CELERY_REDIS_BACKEND_USE_SSL/);
      expect(redis('redis://h/0?ssl_check_hostname=true').query).toEqual({
        ssl_check_hostname: 'true',
      });
    });
  });

  describe('redis+socket://', () => {
    it('takes the absolute path and the db from virtual_host', () => {
      expect(redis('redis+socket:///tmp/r.sock?virtual_host=3')).toMatchObject({
        socketPath: '/tmp/r.sock',
        db: 3,
        query: {},
      });
      expect(redis('redis+socket:///tmp/r.sock').db).toBe(0);
      expect(redis('redis+socket://:pw@/tmp/r.sock').password).toBe('pw');
    });

    it('refuses a host, a missing path and TLS', () => {
      expect(() => parseBackendUrl('redis+socket://var/run/r.sock')).toThrow(
        /three slashes/,
      );
      expect(() => parseBackendUrl('redis+socket://')).toThrow(/socket path/);
      expect(() =>
        parseBackendUrl('redis+socket:///r.sock?ssl_cert_reqs=none'),
      ).toThrow(/unix socket/);
      expect(() =>
        parseBackendUrl('redis+socket:///r.sock', {
          redis: { tls: { certReqs: 'none' } },
        }),
      ).toThrow(/unix socket/);
      expect(() =>
        parseBackendUrl('redis+socket:///r.sock?virtual_host=x'),
      ).toThrow(ImproperlyConfiguredError);
    });
  });
});
