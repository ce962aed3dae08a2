import type { RedisBackendConfig } from './redis.options.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';
import {
  buildRedisOptions,
  buildRedisTlsOptions,
} from './redis-client.factory.js';
import { parseRedisUrl } from './redis-url.parser.js';
import { ttlArgument } from './redis.scripts.js';

const base: RedisBackendConfig = {
  kind: 'redis',
  host: 'cache.local',
  port: 6380,
  db: 3,
  query: {},
};

describe('buildRedisOptions', () => {
  it('command connection: host, db, auth, connect timeout, no auto-pipelining, no ioredis timers', async () => {
    const o = await buildRedisOptions(
      { ...base, username: 'u', password: 'p', socketConnectTimeout: 2.5 },
      'command',
    );
    expect(o).toMatchObject({
      host: 'cache.local',
      port: 6380,
      db: 3,
      username: 'u',
      password: 'p',
      connectTimeout: 2500,
      enableAutoPipelining: false,
      connectionName: 'celery-result-backend',
    });
    // Celery's socket timeout is the store's watchdog: ioredis timers can outlive a socket.
    expect(o.socketTimeout).toBeUndefined();
    expect(o.commandTimeout).toBeUndefined();
    expect(o.disconnectTimeout).toBe(200);
  });

  it('subscriber: no socket timeout, waits through outages, resubscribes itself', async () => {
    const o = await buildRedisOptions(base, 'subscriber');
    expect(o.socketTimeout).toBeUndefined();
    expect(o.commandTimeout).toBeUndefined();
    expect(o).toMatchObject({
      autoResubscribe: false,
      maxRetriesPerRequest: null,
      connectionName: 'celery-result-backend-sub',
    });
  });

  it('unix socket: path instead of host and port', async () => {
    const o = await buildRedisOptions(
      { ...base, socketPath: '/run/redis.sock' },
      'command',
    );
    expect(o.path).toBe('/run/redis.sock');
    expect(o.host).toBeUndefined();
  });
});

describe('buildRedisTlsOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads the CA, certificate and key files (Celery ssl_ca_certs / ssl_certfile / ssl_keyfile)', async () => {
    const o = await buildRedisTlsOptions({
      certReqs: 'required',
      caCerts: file('ca.pem', 'CA'),
      certFile: file('c.pem', 'CERT'),
      keyFile: file('k.pem', 'KEY'),
    });
    expect(o.rejectUnauthorized).toBe(true);
    expect(o.ca).toEqual(Buffer.from('CA'));
    expect(o.cert).toEqual(Buffer.from('CERT'));
    expect(o.key).toEqual(Buffer.from('KEY'));
    expect(o.checkServerIdentity).toBeUndefined();
  });

  it('optional verifies the chain but not the host name; none verifies nothing', async () => {
    const optional = await buildRedisTlsOptions({ certReqs: 'optional' });
    expect(optional.rejectUnauthorized).toBe(true);
    expect(optional.checkServerIdentity?.('h', {} as never)).toBeUndefined();
    expect(
      (await buildRedisTlsOptions({ certReqs: 'none' })).rejectUnauthorized,
    ).toBe(false);
  });

  it('a missing file is a configuration error naming the setting', async () => {
    await expect(
      buildRedisTlsOptions({
        certReqs: 'required',
        caCerts: join(dir, 'nope.pem'),
      }),
    ).rejects.toThrow(ImproperlyConfiguredError);
    await expect(
      buildRedisTlsOptions({
        certReqs: 'required',
        keyFile: join(dir, 'nope.pem'),
      }),
    ).rejects.toThrow(/ssl_keyfile/);
  });
});

describe('config checks at the URL boundary / ttlArgument', () => {
  it('refuses impossible db numbers and ports once, when the URL is parsed', () => {
    expect(() => parseRedisUrl('redis://h:6379/-1')).toThrow(
      ImproperlyConfiguredError,
    );
    expect(() => parseRedisUrl('redis://h:70000/0')).toThrow(
      ImproperlyConfiguredError,
    );
    expect(parseRedisUrl('redis+socket:///tmp/redis.sock').socketPath).toBe(
      '/tmp/redis.sock',
    );
  });

  it('TTL text: whole seconds (Celery int()), empty for none, zero, negative or under a second', () => {
    expect([86400, 10.7, 0.5, 0, -3, null, Infinity].map(ttlArgument)).toEqual([
      '86400',
      '10',
      '',
      '',
      '',
      '',
      '',
    ]);
  });
});
