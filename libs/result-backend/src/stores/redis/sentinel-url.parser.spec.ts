import { parseBackendUrl } from '../backend-url.parser.js';
import {
  configError,
  parserOf,
  urlRefusal,
} from '../../../../../test/support/config-error.js';

const sentinel = parserOf('sentinel');

const master = { redis: { masterName: 'mymaster' } };

// Host list, default port and first-part db/password checked against Celery 5.2.6 SentinelBackend.
describe('parseBackendUrl: sentinel://', () => {
  it('reads every ;-separated sentinel and the master db/credentials from the first part', () => {
    expect(
      sentinel(
        'sentinel://u:pw@s1:26379/2;sentinel://:other@s2:26380/3',
        master,
      ),
    ).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      masterName: 'mymaster',
      db: 2,
      username: 'u',
      password: 'pw',
      socketTimeout: 120,
      query: {},
    });
  });

  it('defaults to localhost:6379 per part (as Celery, not 26379) and skips empty parts', () => {
    const c = sentinel('sentinel://;sentinel://s2;', master);
    expect(c.sentinels).toEqual([
      { host: 'localhost', port: 6379 },
      { host: 's2', port: 6379 },
    ]);
    expect(c.db).toBe(0);
  });

  it('takes the master name from the settings or ?master_name=, and refuses conflicts', () => {
    expect(sentinel('sentinel://s1:26379?master_name=m1').masterName).toBe(
      'm1',
    );
    expect(
      sentinel('sentinel://s1:26379;sentinel://s2:1?master_name=m1').masterName,
    ).toBe('m1');
    expect(
      sentinel('sentinel://s1:26379?master_name=mymaster', master).masterName,
    ).toBe('mymaster');
    const conflict = configError(() =>
      parseBackendUrl('sentinel://s1?master_name=other', master),
    );
    expect(conflict.setting).toBe('master_name');
    expect(() =>
      parseBackendUrl(
        'sentinel://s1?master_name=a;sentinel://s2?master_name=b',
      ),
    ).toThrow(/different master_name/);
  });

  it('fails without a master name, naming master_name and how to set it', () => {
    const err = configError(() =>
      parseBackendUrl('sentinel://:s3cret!@s1:26379/0'),
    );
    expect(err.setting).toBe('master_name');
    expect(err.message).toContain('CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS');
    expect(err.message).toContain('for example: sentinel://');
    expect(err.message).not.toContain('s3cret');
  });

  it('carries sentinel credentials, TLS settings and timeouts', () => {
    const c = sentinel('sentinel://s1:26379/1?socket_timeout=5&other=x', {
      redis: {
        masterName: 'm',
        sentinelPassword: 'sp',
        sentinelUsername: 'su',
        tls: { certReqs: 'CERT_REQUIRED' },
        socketConnectTimeout: 2,
      },
    });
    expect(c).toMatchObject({
      sentinelPassword: 'sp',
      sentinelUsername: 'su',
      tls: { certReqs: 'required' },
      socketTimeout: 5,
      socketConnectTimeout: 2,
      query: { other: 'x' },
    });
    expect(c.password).toBeUndefined();
  });

  it.each([
    'sentinel://:s3cret!@s1/0?ssl_cert_reqs=none',
    'sentinel://:s3cret!@s1/0;redis://s2',
    'sentinel://:s3cret!@s1:x/0',
    'sentinel://:s3cret!@s1/0;sentinel://s2/x',
  ])(
    'refuses ssl_* query keys, bad parts, bad ports and bad dbs without leaking passwords: %s',
    (url) => {
      urlRefusal(url, 'sentinel://', 's3cret', master);
    },
  );

  it('refuses an invalid ssl_cert_reqs setting', () => {
    expect(() =>
      parseBackendUrl('sentinel://s1', {
        redis: { masterName: 'm', tls: { certReqs: 'x' } },
      }),
    ).toThrow(/ssl_cert_reqs/);
  });
});
