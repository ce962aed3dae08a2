import { parseBackendUrl } from './backend-url.parser.js';
import {
  configError,
  urlRefusal,
} from '../../../../test/support/config-error.js';

// The memcached client timing the parser fills in when no option sets it.
const DEFAULT_TIMING = { timeoutMs: 3000, retryDelayMs: 1000 };

describe('parseBackendUrl: file, couchdb, cache, disabled, dispatch', () => {
  it.each([
    ['file:///abs/dir', '/abs/dir'],
    ['file://localhost/abs/dir', '/abs/dir'],
    ['file://rel/dir', 'rel/dir'],
    ['file://localhost', 'localhost'],
    ['file:///my%20dir/', '/my%20dir/'],
  ])(
    'file:// exactly as Celery FilesystemBackend._find_path (verbatim, no decoding): %s',
    (url, path) => {
      expect(parseBackendUrl(url)).toEqual({ kind: 'filesystem', path });
    },
  );

  it('file:// without a path names an example', () => {
    const err = configError(() => parseBackendUrl('file://'));
    expect(err.message).toContain('for example: file:///');
  });

  it('couchdb:// with Celery defaults, couchdbs:// for https', () => {
    expect(parseBackendUrl('couchdb://')).toEqual({
      kind: 'couchdb',
      protocol: 'http',
      host: 'localhost',
      port: 5984,
      database: 'default',
    });
    expect(parseBackendUrl('couchdb')).toMatchObject({
      host: 'localhost',
      database: 'default',
    });
    expect(
      parseBackendUrl('couchdb://u:p%2Fw@db.local:6984/celery_results/'),
    ).toEqual({
      kind: 'couchdb',
      protocol: 'http',
      host: 'db.local',
      port: 6984,
      database: 'celery_results',
      username: 'u',
      password: 'p/w',
    });
    expect(parseBackendUrl('couchdbs://h/x?ignored=1')).toMatchObject({
      protocol: 'https',
      port: 5984,
      database: 'x',
    });
    const err = configError(() =>
      parseBackendUrl('couchdb://u:s3cret!@h/Bad Name'),
    );
    expect(err.message).toContain('database name');
    expect(err.message).not.toContain('s3cret');
    expect(() => parseBackendUrl('couchdb://h:abc/x')).toThrow(/port/);
  });

  it('cache+memcached:// (and memcache/pylibmc) keeps server order; cache+memory://', () => {
    const servers = [
      { host: '10.0.0.1', port: 11211 },
      { host: 'b', port: 11211 },
      { host: '::1', port: 11300 },
    ];
    for (const scheme of [
      'cache+memcached',
      'cache+memcache',
      'cache+pylibmc',
    ]) {
      expect(
        parseBackendUrl(`${scheme}://10.0.0.1:11211;b;[::1]:11300/`),
      ).toEqual({ kind: 'memcached', servers, ...DEFAULT_TIMING });
    }
    expect(parseBackendUrl('cache+memcached://h:1')).toEqual({
      kind: 'memcached',
      servers: [{ host: 'h', port: 1 }],
      timeoutMs: 3000,
      retryDelayMs: 1000,
    });
    // An option given alone keeps the other default.
    expect(
      parseBackendUrl('cache+memcached://h:1', {
        memcached: { timeoutMs: 250 },
      }),
    ).toMatchObject({ timeoutMs: 250, retryDelayMs: 1000 });
    expect(parseBackendUrl('cache+memory://')).toEqual({ kind: 'memory' });
    expect(parseBackendUrl('cache+memory://anything')).toEqual({
      kind: 'memory',
    });
  });

  it.each([
    'cache+memcached://',
    'cache+memcached://a;;b',
    'cache+memcached://a:x',
    'cache+memcached://u:p@a',
    'cache+memcached://a/?x=1',
    'cache+redis://a',
  ])('refuses bad memcached forms and unknown cache clients: %s', (url) => {
    urlRefusal(url, 'cache+memcached://');
  });

  it('bare "cache" uses the legacy cache_backend setting', () => {
    expect(
      parseBackendUrl('cache', { cacheBackend: 'memcached://h:1;i:2/' }),
    ).toEqual({
      kind: 'memcached',
      servers: [
        { host: 'h', port: 1 },
        { host: 'i', port: 2 },
      ],
      ...DEFAULT_TIMING,
    });
    expect(parseBackendUrl('cache', { cacheBackend: 'memory://' })).toEqual({
      kind: 'memory',
    });
    expect(configError(() => parseBackendUrl('cache')).setting).toBe(
      'CELERY_CACHE_BACKEND',
    );
    expect(
      configError(() => parseBackendUrl('cache', { cacheBackend: 'h:1' }))
        .setting,
    ).toBe('CELERY_CACHE_BACKEND');
  });

  it('disabled, bare names', () => {
    expect(parseBackendUrl('disabled://')).toEqual({ kind: 'disabled' });
    expect(parseBackendUrl('disabled')).toEqual({ kind: 'disabled' });
    expect(parseBackendUrl('redis')).toMatchObject({
      kind: 'redis',
      host: 'localhost',
      port: 6379,
      db: 0,
    });
  });

  it('refuses empty, unknown and unsupported backends with an example and no password', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['mongodb://u:s3cret!@h/db', /"mongodb" result backend is not supported/],
      ['db+sqlite:///results.db', /"db" result backend is not supported/],
      ['rpc://', /not supported/],
      ['foo://u:s3cret!@h', /unknown result backend/],
      ['myapp.backends:Backend', /unknown result backend/],
      ['socket:///tmp/r.sock', /unknown result backend/],
    ];
    for (const [url, problem] of cases) {
      const err = configError(() => parseBackendUrl(url));
      expect(err.setting).toBe('CELERY_RESULT_BACKEND');
      expect(err.message).toMatch(problem);
      // The example of the backend family the scheme names (db+… shows PostgreSQL's), else Redis's.
      expect(err.message).toContain(
        url.startsWith('db+')
          ? '(for example: db+postgresql://'
          : '(for example: redis://',
      );
      expect(err.message).not.toContain('s3cret');
    }
  });
});
