/**
 * rediss:// against redis-server with TLS: Celery's ssl_cert_reqs / ssl_ca_certs /
 * ssl_certfile / ssl_keyfile mapped to Node TLS options (files read by the store), on both the
 * command and the subscriber connection. Certificates are made by openssl for the run.
 */
import type { RedisTlsConfig } from '../libs/result-backend/src/stores/redis/redis.options.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, take, timeout } from 'rxjs';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { closesAfterEach } from './support/cleanup.js';
import { startAll } from './support/server-process.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  openStore,
  RecordingLogger,
  redisConfig,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
const f = (name: string): string => join(dir, name);

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** CA, a server certificate for `san`, and a client certificate, all EC P-256. */
function makeCerts(): void {
  const ec = [
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
  ];
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  ]);
  const sign = (name: string, subj: string, san?: string): void => {
    openssl([
      'req',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subj,
    ]);
    const ext = [];
    if (san) {
      writeFileSync(f(`${name}.ext`), `subjectAltName=${san}\n`);
      ext.push('-extfile', `${name}.ext`);
    }
    openssl([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      ...ext,
    ]);
  };
  sign('server', '/CN=127.0.0.1', 'IP:127.0.0.1');
  sign('otherhost', '/CN=other.example', 'DNS:other.example');
  sign('client', '/CN=client');
}

describeWithServer(
  ['redis-server', 'openssl'],
  'rediss:// (redis-server with TLS)',
  () => {
    let mutual: TestRedis; // right host name, client certificates required
    let wrongHost: TestRedis; // certificate for another host name
    const logger = new RecordingLogger();

    beforeAll(async () => {
      makeCerts();
      [mutual, wrongHost] = await startAll(
        [
          startRedis({
            tls: {
              cert: f('server.pem'),
              key: f('server.key'),
              ca: f('ca.pem'),
              authClients: true,
            },
          }),
          startRedis({
            tls: {
              cert: f('otherhost.pem'),
              key: f('otherhost.key'),
              ca: f('ca.pem'),
              authClients: false,
            },
          }),
        ],
        (r) => r.stop(),
      );
    });
    afterAll(async () => {
      await Promise.all([mutual?.stop(), wrongHost?.stop()]);
      rmSync(dir, { recursive: true, force: true });
    });

    /** Stores a test opened: closed after it, also when an expectation failed first. */
    const own = closesAfterEach();
    const tlsStore = async (server: TestRedis, tls: RedisTlsConfig) =>
      own(
        await openStore(
          redisConfig(server.port, { tls, socketConnectTimeout: 1 }),
          logger,
        ),
      );

    it('required + CA + client certificate: writes, reads and watches over TLS', async () => {
      const s = await tlsStore(mutual, {
        certReqs: 'required',
        caCerts: f('ca.pem'),
        certFile: f('client.pem'),
        keyFile: f('client.key'),
      });
      expect(s.description).toBe(
        `rediss://127.0.0.1:${mutual.port}/0?ssl_cert_reqs=required`,
      );
      const key = 'celery-task-meta-tls';
      await s.push.add([key]);
      const got = firstValueFrom(
        s.push.events.pipe(
          filter((e) => e.type === 'change'),
          take(1),
          timeout(5000),
        ),
      );
      expect(await s.set(key, '{"status": "SUCCESS"}', 60, true)).toBe(
        'written',
      );
      expect(await got).toEqual({
        type: 'change',
        key,
        value: '{"status": "SUCCESS"}',
      });
      expect(await s.get(key)).toBe('{"status": "SUCCESS"}');
      await s.close();
    });

    it.each<[string, RedisTlsConfig]>([
      ['no client certificate', { certReqs: 'required', caCerts: f('ca.pem') }],
      [
        'unknown CA',
        {
          certReqs: 'required',
          certFile: f('client.pem'),
          keyFile: f('client.key'),
        },
      ],
    ])('refuses the connection with %s', async (_name, tls) => {
      const s = await tlsStore(mutual, tls);
      await expect(s.ping()).rejects.toBeInstanceOf(BackendUnavailableError);
      await s.close();
    });

    it('required checks the host name; optional checks the chain only; none checks nothing', async () => {
      const required = await tlsStore(wrongHost, {
        certReqs: 'required',
        caCerts: f('ca.pem'),
      });
      await expect(required.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await required.close();
      const optional = await tlsStore(wrongHost, {
        certReqs: 'optional',
        caCerts: f('ca.pem'),
      });
      await expect(optional.ping()).resolves.toBeUndefined();
      await optional.close();
      const optionalNoCa = await tlsStore(wrongHost, { certReqs: 'optional' });
      await expect(optionalNoCa.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await optionalNoCa.close();
      const none = await tlsStore(wrongHost, { certReqs: 'none' });
      await expect(none.ping()).resolves.toBeUndefined();
      await none.close();
      expect(
        logger.lines.filter((l) => l.includes('man-in-the-middle')).length,
      ).toBeGreaterThanOrEqual(3);
    });
  },
);
