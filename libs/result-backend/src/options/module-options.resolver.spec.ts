import type { ResultStore } from '../stores/result-store.interface.js';
import { RESULT_BACKEND_DEFAULTS } from '../config/setting-names.constants.js';
import { resolveModuleOptions } from './module-options.resolver.js';
import { configError } from '../../../../test/support/config-error.js';

function env(values: Record<string, unknown>) {
  return (name: string) => values[name] as string | undefined;
}

/** The module options `resolveModuleOptions` takes. */
type ModuleOptions = Parameters<typeof resolveModuleOptions>[0];

/** The options resolved from settings alone (no module options). */
const fromSettings = (values: Record<string, unknown>) =>
  resolveModuleOptions({}, env(values));

describe('resolveModuleOptions', () => {
  it("applies the defaults, which are Celery's", () => {
    const o = resolveModuleOptions({ url: 'redis://h/0' });
    expect(o).toEqual({
      backend: {
        kind: 'redis',
        host: 'h',
        port: 6379,
        db: 0,
        socketTimeout: 120,
        query: {},
      },
      description: 'redis://h:6379/0',
      ...RESULT_BACKEND_DEFAULTS,
    });
    // result_expires: one day; result_cache_max: off; Redis' largest value: 512 MiB.
    expect(o.expires).toBe(24 * 60 * 60);
    expect(o.resultCacheMax).toBe(-1);
    expect(o.maxPayloadBytes).toBe(512 * 1024 * 1024);
    // The newest Celery's forms, in UTC, with no key prefix.
    expect([o.celeryVersion, o.timezone, o.keyPrefix]).toEqual([
      '5.6',
      'UTC',
      '',
    ]);
  });

  it('reads the target Celery version and timezone; 5.3 and 5.4 imply their prefix rule', () => {
    expect(
      resolveModuleOptions(
        { url: 'redis://h' },
        env({ CELERY_VERSION: '5.4.0', CELERY_TIMEZONE: 'Asia/Kolkata' }),
      ),
    ).toMatchObject({
      celeryVersion: '5.4',
      timezone: 'Asia/Kolkata',
      keyPrefixStyle: '5.3',
    });
    expect(
      resolveModuleOptions({ url: 'redis://h', celeryVersion: '5.2' }),
    ).toMatchObject({ celeryVersion: '5.2', keyPrefixStyle: '5.5' });
    expect(
      configError(() =>
        resolveModuleOptions(
          { url: 'redis://h' },
          env({ CELERY_VERSION: '4.4' }),
        ),
      ).setting,
    ).toBe('CELERY_VERSION');
    expect(
      configError(() =>
        resolveModuleOptions({ url: 'redis://h', timezone: 'Mars/Base' }),
      ).setting,
    ).toBe('timezone');
  });

  it('reads every setting by its Celery-like name', () => {
    const r = fromSettings({
      CELERY_RESULT_BACKEND: ' sentinel://:pw@s1:26379/2 ',
      CELERY_RESULT_EXPIRES: '3600.5',
      CELERY_RESULT_CACHE_MAX: '100',
      CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS:
        '{"master_name": "mymaster", "global_keyprefix": "app:", "sentinel_kwargs": {"password": "sp", "username": "su"}, "retry_policy": {}}',
      CELERY_RESULT_KEYPREFIX_STYLE: '5.3',
      CELERY_REDIS_SOCKET_TIMEOUT: '5',
      CELERY_REDIS_SOCKET_CONNECT_TIMEOUT: '2',
      CELERY_REDIS_BACKEND_USE_SSL:
        '{"ssl_cert_reqs": 2, "ssl_ca_certs": "/ca.pem"}',
      CELERY_RESULT_POLL_INTERVAL_MS: '250',
      CELERY_RESULT_MAX_PAYLOAD_BYTES: '1024',
      CELERY_RESULT_DECODE_KOMBU_ENVELOPES: 'false',
    });
    expect(r).toMatchObject({
      backend: {
        kind: 'sentinel',
        masterName: 'mymaster',
        sentinelPassword: 'sp',
        sentinelUsername: 'su',
        password: 'pw',
        db: 2,
        socketTimeout: 5,
        socketConnectTimeout: 2,
        tls: { certReqs: 'required', caCerts: '/ca.pem' },
      },
      description:
        'sentinel://:***@s1:26379/2?master_name=mymaster&ssl_cert_reqs=required',
      expires: 3600.5,
      keyPrefix: 'app:',
      keyPrefixStyle: '5.3',
      resultCacheMax: 100,
      pollIntervalMs: 250,
      maxPayloadBytes: 1024,
      decodeKombuEnvelopes: false,
    });
  });

  it('reads S3 and legacy cache settings', () => {
    const s3 = fromSettings({
      CELERY_RESULT_BACKEND: 's3',
      CELERY_S3_BUCKET: 'b',
      CELERY_S3_BASE_PATH: 'results/',
      CELERY_S3_ENDPOINT_URL: 'http://127.0.0.1:4568',
      CELERY_S3_REGION: 'us-east-1',
      CELERY_S3_ACCESS_KEY_ID: 'AKID',
      CELERY_S3_SECRET_ACCESS_KEY: 'SECRET',
      CELERY_S3_MAX_CONCURRENCY: '4',
      CELERY_S3_LIST_THRESHOLD: '0',
    });
    expect(s3.backend).toEqual({
      kind: 's3',
      bucket: 'b',
      basePath: 'results/',
      endpointUrl: 'http://127.0.0.1:4568',
      region: 'us-east-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'SECRET',
      forcePathStyle: true,
      maxConcurrency: 4,
      listThreshold: 0,
    });
    expect(s3.description).not.toContain('SECRET');
    const cache = fromSettings({
      CELERY_RESULT_BACKEND: 'cache',
      CELERY_CACHE_BACKEND: 'memcached://h:1/',
    });
    expect(cache.backend).toEqual({
      kind: 'memcached',
      servers: [{ host: 'h', port: 1 }],
      timeoutMs: 3000,
      retryDelayMs: 1000,
    });
  });

  it('takes the memcached client timing from module options, checked', () => {
    const resolved = resolveModuleOptions(
      {
        url: 'cache+memcached://h:1;k:2/',
        memcached: { timeoutMs: 250, retryDelayMs: 40 },
      },
      env({}),
    );
    expect(resolved.backend).toEqual({
      kind: 'memcached',
      servers: [
        { host: 'h', port: 1 },
        { host: 'k', port: 2 },
      ],
      timeoutMs: 250,
      retryDelayMs: 40,
    });
    for (const [memcached, option] of [
      [{ timeoutMs: 0 }, 'memcached.timeoutMs'],
      [{ timeoutMs: 1.5 }, 'memcached.timeoutMs'],
      [{ retryDelayMs: '1000' }, 'memcached.retryDelayMs'],
    ] as const) {
      const err = configError(() =>
        resolveModuleOptions(
          { url: 'cache+memcached://h:1/', memcached } as never,
          env({}),
        ),
      );
      expect(err.message).toContain(option);
    }
  });

  describe('explicit options win over read settings, which win over defaults', () => {
    const read = env({
      CELERY_RESULT_BACKEND: 'redis://from-env/1',
      CELERY_RESULT_EXPIRES: '10',
      CELERY_RESULT_KEYPREFIX: 'env:',
      CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS:
        '{"global_keyprefix": "transport:", "master_name": "envmaster"}',
      CELERY_RESULT_POLL_INTERVAL_MS: '100',
      CELERY_REDIS_SOCKET_TIMEOUT: '7',
      CELERY_S3_BUCKET: 'envbucket',
    });

    it.each<[string, ModuleOptions, Record<string, unknown>]>([
      [
        'explicit options',
        {
          url: 'redis://explicit/2',
          expires: 20,
          keyPrefix: 'opt:',
          pollIntervalMs: 50,
          redis: { socketTimeout: 3 },
        },
        {
          backend: { host: 'explicit', db: 2, socketTimeout: 3 },
          expires: 20,
          keyPrefix: 'opt:',
          pollIntervalMs: 50,
        },
      ],
      [
        'read settings, with no options',
        {},
        {
          backend: { host: 'from-env', db: 1, socketTimeout: 7 },
          expires: 10,
          keyPrefix: 'env:',
          pollIntervalMs: 100,
        },
      ],
      [
        'the s3.bucket option',
        { url: 's3', s3: { bucket: 'optbucket' } },
        { backend: { bucket: 'optbucket' } },
      ],
      [
        'the redis.masterName option',
        { url: 'sentinel://s1:26379', redis: { masterName: 'optmaster' } },
        { backend: { masterName: 'optmaster' } },
      ],
    ])('takes %s', (_source, options, expected) => {
      expect(resolveModuleOptions(options, read)).toMatchObject(expected);
    });

    it('takes the key prefix from the transport options without CELERY_RESULT_KEYPREFIX', () => {
      const prefixFromTransport = fromSettings({
        CELERY_RESULT_BACKEND: 'redis://h',
        CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS: '{"global_keyprefix": "t:"}',
      });
      expect(prefixFromTransport.keyPrefix).toBe('t:');
    });
  });

  it('expires: none/null/0/blank mean never, numbers are seconds', () => {
    for (const value of ['none', 'None', 'null', '0', '', '   ']) {
      expect(
        resolveModuleOptions(
          { url: 'disabled://' },
          env({ CELERY_RESULT_EXPIRES: value }),
        ).expires,
      ).toBeNull();
    }
    expect(
      resolveModuleOptions({ url: 'disabled://', expires: null }).expires,
    ).toBeNull();
    expect(
      resolveModuleOptions({ url: 'disabled://', expires: 0 }).expires,
    ).toBeNull();
    expect(
      resolveModuleOptions(
        { url: 'disabled://' },
        env({ CELERY_RESULT_EXPIRES: 60 }),
      ).expires,
    ).toBe(60);
    const err = configError(() =>
      resolveModuleOptions(
        { url: 'disabled://' },
        env({ CELERY_RESULT_EXPIRES: '1 day' }),
      ),
    );
    expect(err.setting).toBe('CELERY_RESULT_EXPIRES');
    expect(err.message).toContain('for example: 86400');
    expect(
      configError(() =>
        resolveModuleOptions({ url: 'disabled://', expires: -1 }),
      ).setting,
    ).toBe('expires');
  });

  it('refuses bad numbers, booleans and styles, naming the setting with an example', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ CELERY_RESULT_CACHE_MAX: '-2' }, 'CELERY_RESULT_CACHE_MAX'],
      [{ CELERY_RESULT_CACHE_MAX: '1.5' }, 'CELERY_RESULT_CACHE_MAX'],
      [
        { CELERY_RESULT_POLL_INTERVAL_MS: '0' },
        'CELERY_RESULT_POLL_INTERVAL_MS',
      ],
      [
        { CELERY_RESULT_POLL_INTERVAL_MS: 'fast' },
        'CELERY_RESULT_POLL_INTERVAL_MS',
      ],
      [
        { CELERY_RESULT_MAX_PAYLOAD_BYTES: '1e400' },
        'CELERY_RESULT_MAX_PAYLOAD_BYTES',
      ],
      [
        { CELERY_RESULT_DECODE_KOMBU_ENVELOPES: 'maybe' },
        'CELERY_RESULT_DECODE_KOMBU_ENVELOPES',
      ],
      [
        { CELERY_RESULT_KEYPREFIX_STYLE: '5.4' },
        'CELERY_RESULT_KEYPREFIX_STYLE',
      ],
      [{ CELERY_REDIS_SOCKET_TIMEOUT: '0' }, 'CELERY_REDIS_SOCKET_TIMEOUT'],
      [{ CELERY_S3_MAX_CONCURRENCY: 'x' }, 'CELERY_S3_MAX_CONCURRENCY'],
      [{ CELERY_S3_LIST_THRESHOLD: '-1' }, 'CELERY_S3_LIST_THRESHOLD'],
      [
        { CELERY_S3_FORCE_PATH_STYLE: 'yes please' },
        'CELERY_S3_FORCE_PATH_STYLE',
      ],
    ];
    for (const [values, setting] of cases) {
      const err = configError(() =>
        resolveModuleOptions({ url: 'redis://h' }, env(values)),
      );
      expect(err.setting).toBe(setting);
      expect(err.message).toContain('(for example: ');
    }
    const bad: [object, string][] = [
      [{ pollIntervalMs: 1.5 }, 'pollIntervalMs'],
      [{ maxPayloadBytes: Number.NaN }, 'maxPayloadBytes'],
      [{ resultCacheMax: '5' }, 'resultCacheMax'],
      [{ decodeKombuEnvelopes: 'true' }, 'decodeKombuEnvelopes'],
      [{ keyPrefixStyle: '5.2' }, 'keyPrefixStyle'],
      [{ redis: { socketTimeout: -1 } }, 'redis.socketTimeout'],
      [{ redis: { masterName: 5 } }, 'redis.masterName'],
    ];
    for (const [options, setting] of bad) {
      expect(
        configError(() =>
          resolveModuleOptions({ url: 'redis://h', ...options }),
        ).setting,
      ).toBe(setting);
    }
  });

  it('refuses bad JSON settings without echoing them', () => {
    const cases: [string, string][] = [
      [
        'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS',
        '{"sentinel_kwargs": {"password": "hunter22"',
      ],
      ['CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS', '["hunter22"]'],
      [
        'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS',
        '{"sentinel_kwargs": "hunter22"}',
      ],
      [
        'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS',
        '{"master_name": 5, "x": "hunter22"}',
      ],
      ['CELERY_REDIS_BACKEND_USE_SSL', '{"ssl_cert_reqs": 7, "x": "hunter22"}'],
      ['CELERY_REDIS_BACKEND_USE_SSL', 'hunter22'],
    ];
    for (const [setting, value] of cases) {
      const err = configError(() =>
        resolveModuleOptions({ url: 'redis://h' }, env({ [setting]: value })),
      );
      expect(err.setting).toBe(setting);
      expect(err.message).not.toContain('hunter22');
      expect(err.message).toContain('(for example: {');
    }
  });

  it('takes objects from @nestjs/config as JSON', () => {
    const r = fromSettings({
      CELERY_RESULT_BACKEND: 'sentinel://s1:26379',
      CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS: { master_name: 'obj' },
    });
    expect(r.backend).toMatchObject({ masterName: 'obj' });
  });

  it('fails without any URL, saying how to set it; a given store wins', () => {
    const err = configError(() =>
      fromSettings({ CELERY_RESULT_BACKEND: '  ' }),
    );
    expect(err.setting).toBe('CELERY_RESULT_BACKEND');
    expect(err.message).toContain('forRoot');
    expect(err.message).toContain('(for example: redis://');
    const store = {
      kind: 'memory',
      description: 'my store',
    } as unknown as ResultStore;
    const r = resolveModuleOptions(
      { store, url: 'not a url' },
      env({ CELERY_RESULT_EXPIRES: '5' }),
    );
    expect(r).toMatchObject({ store, description: 'my store', expires: 5 });
    expect(r.backend).toBeUndefined();
  });

  it.each([
    ['redis://:hunter22@h/0?ssl_cert_reqs=none', 'hunter22'],
    ['redis://h:x/0', 'envsecret'],
  ])('never puts a password in an error about the URL %s', (url, secret) => {
    const err = configError(() =>
      fromSettings({
        CELERY_RESULT_BACKEND: url,
        CELERY_REDIS_PASSWORD: 'envsecret',
      }),
    );
    expect(err.message).not.toContain(secret);
  });
});
