/**
 * PostgreSQL reliability against real servers: TLS (a server with `ssl=on` and a self-signed
 * certificate made by openssl for the run, TCP allowed only over TLS) through libpq's
 * `sslmode`/`sslrootcert` and node-postgres' `ssl` URL options; LISTEN/NOTIFY watches that
 * survive a server crash and restart without leaking connections; and bounded, typed errors
 * for a server that refuses, never answers, or dies.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendUnavailableError,
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import { installPostgresqlNotifyTrigger } from '../libs/result-backend/src/configuration.js';
import { dumpsPickle } from '../libs/result-backend/src/codec.js';
import { eventually } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';

const quiet = { logger: { log() {}, warn() {}, error() {} } };
const APP = 'nest-celery-result-backend';

/** A self-signed EC certificate for 127.0.0.1 (its own CA), as PEM text. */
function selfSigned(dir: string, name: string): { cert: string; key: string } {
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return {
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
  };
}

describeWithServer(
  [...PG_BINARIES, 'openssl'],
  'PostgreSQL reliability',
  () => {
    let server: PostgresqlTestServer;
    let dir: string;
    let ca: string;
    let otherCa: string;
    const opened: ResultBackendService[] = [];
    const open = async (query: string): Promise<ResultBackendService> => {
      const svc = await createResultBackend(
        {
          url: `${server.url('celery')}?${query}`,
          pollIntervalMs: 100,
          postgresql: { createTables: true },
        },
        quiet,
      );
      opened.push(svc);
      return svc;
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pg-tls-'));
      const server1 = selfSigned(dir, 'server');
      selfSigned(dir, 'other');
      ca = join(dir, 'server.pem');
      otherCa = join(dir, 'other.pem');
      server = await startPostgresql({
        files: { 'server.crt': server1.cert, 'server.key': server1.key },
        settings: {
          ssl: 'on',
          ssl_cert_file: 'server.crt',
          ssl_key_file: 'server.key',
        },
        // TCP only over TLS; the helpers use the Unix socket.
        hba: [
          'local all all trust',
          // database "plain": plain TCP only
          'hostssl plain all 127.0.0.1/32 reject',
          'hostnossl plain all 127.0.0.1/32 trust',
          'hostssl all all 127.0.0.1/32 trust',
          'hostnossl all all 127.0.0.1/32 reject',
          '',
        ].join('\n'),
      });
      await server.createDatabase('celery');
      await server.createDatabase('plain');
    });

    afterAll(async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('over TLS (plain TCP rejected by pg_hba)', () => {
      afterAll(async () => {
        for (const svc of opened) await svc.close();
      });

      it.each([
        ['sslmode=require', () => 'sslmode=require'],
        ['sslmode=verify-ca', () => `sslmode=verify-ca&sslrootcert=${ca}`],
        ['sslmode=verify-full', () => `sslmode=verify-full&sslrootcert=${ca}`],
        ['ssl=true (node-postgres form)', () => `ssl=true&sslrootcert=${ca}`],
      ])(
        'stores, reads and watches with %s; the connection is encrypted',
        async (_name, query) => {
          const svc = await open(query());
          const id = randomUUID();
          const done = svc.waitFor<number>(id, { timeout: 10_000 });
          await svc.markAsDone(id, 7);
          await expect(done).resolves.toBe(7);
          const pool = server.pool('celery');
          try {
            // Every TCP session of the store is a TLS session (plain TCP is rejected anyway).
            const { rows } = await pool.query<{ ssl: boolean }>(
              'SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1',
              [APP],
            );
            expect(rows.length).toBeGreaterThan(0);
            expect(rows.every((r) => r.ssl)).toBe(true);
          } finally {
            await pool.end();
          }
        },
      );

      /** Opens `url` (+ `?query`), stores and reads; returns whether its sessions used TLS. */
      const sessionsEncrypted = async (
        url: string,
        query: string,
        onServer: PostgresqlTestServer = server,
      ): Promise<boolean[]> => {
        const app = `tls-${randomUUID().slice(0, 8)}`;
        const svc = await createResultBackend(
          {
            url: `${url}?${query}&application_name=${app}`,
            pollIntervalMs: 100,
            postgresql: { createTables: true },
          },
          quiet,
        );
        const pool = onServer.pool('postgres');
        try {
          const id = randomUUID();
          await svc.markAsDone(id, 'x');
          expect(await svc.getResult(id)).toBe('x');
          const { rows } = await pool.query<{ ssl: boolean }>(
            'SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = $1',
            [app],
          );
          return rows.map((r) => r.ssl);
        } finally {
          await svc.close();
          await pool.end();
        }
      };

      it.each([
        ['prefer', 'celery', 'TLS (first choice)', true],
        ['allow', 'celery', 'TLS (plain rejected by pg_hba)', true],
        ['allow', 'plain', 'plain (first choice)', false],
        ['prefer', 'plain', 'plain (TLS rejected by pg_hba)', false],
      ])(
        'sslmode=%s on database %s connects with %s, as libpq does',
        async (mode, db, _how, encrypted) => {
          const ssl = await sessionsEncrypted(
            server.url(db),
            `sslmode=${mode}`,
          );
          expect(ssl.length).toBeGreaterThan(0);
          expect(ssl.every((s) => s === encrypted)).toBe(true);
        },
      );

      it('sslmode=prefer falls back to plain on a server without TLS; require fails typed there', async () => {
        const plainServer = await startPostgresql();
        try {
          await plainServer.createDatabase('celery');
          const ssl = await sessionsEncrypted(
            plainServer.url('celery'),
            'sslmode=prefer',
            plainServer,
          );
          expect(ssl.length).toBeGreaterThan(0);
          expect(ssl.every((s) => !s)).toBe(true);
          const err = await createResultBackend(
            {
              url: `${plainServer.url('celery')}?sslmode=require`,
              postgresql: { createTables: true },
            },
            quiet,
          ).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(BackendUnavailableError);
          expect(String(err)).toMatch(/does not support SSL/);
        } finally {
          await plainServer.stop();
        }
      });

      it('refuses an untrusted certificate and a plaintext connection with typed errors', async () => {
        const untrusted = await open(
          `sslmode=verify-full&sslrootcert=${otherCa}`,
        ).catch((e: unknown) => e);
        expect(untrusted).toBeInstanceOf(BackendUnavailableError);
        expect(String(untrusted)).toMatch(/certificate/i);
        const plain = await open('sslmode=disable').catch((e: unknown) => e);
        expect(plain).toBeInstanceOf(BackendUnavailableError);
        expect(String(plain)).toMatch(/no encryption|pg_hba/);
      });
    });

    describe('restarts: LISTEN over TLS and typed errors', () => {
      const url = (): string => `${server.url('push')}?sslmode=require`;

      beforeAll(async () => {
        await server.createDatabase('push');
        const setup = await createResultBackend(
          { url: url(), postgresql: { createTables: true } },
          quiet,
        );
        await setup.close();
        const pool = server.pool('push');
        try {
          await installPostgresqlNotifyTrigger(pool);
        } finally {
          await pool.end();
        }
      });

      const listeners = async (): Promise<number> => {
        const pool = server.pool('push');
        try {
          const { rows } = await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND query ILIKE 'LISTEN%'",
            [APP],
          );
          return Number(rows[0].n);
        } finally {
          await pool.end();
        }
      };

      const writeRow = async (id: string, value: number): Promise<void> => {
        const pool = server.pool('push');
        try {
          await pool.query(
            "INSERT INTO celery_taskmeta (id, task_id, status, result, date_done) VALUES (nextval('task_id_sequence'), $1, 'SUCCESS', $2, now() AT TIME ZONE 'UTC')",
            [id, Buffer.from(dumpsPickle(value))],
          );
        } finally {
          await pool.end();
        }
      };

      it('keeps delivering watched results after the server crashes and restarts, with one LISTEN connection', async () => {
        // A push store never polls: with no trigger delivery, nothing would arrive.
        const svc = await createResultBackend(
          { url: url(), pollIntervalMs: 600_000 },
          quiet,
        );
        try {
          const before = randomUUID();
          const first = svc.waitFor<number>(before, { timeout: 10_000 });
          await eventually(async () => (await listeners()) === 1);
          await writeRow(before, 1);
          await expect(first).resolves.toBe(1);

          const during = randomUUID();
          const after = randomUUID();
          const duringDone = svc.waitFor<number>(during, { timeout: 15_000 });
          const afterDone = svc.waitFor<number>(after, { timeout: 15_000 });
          await server.kill();
          await server.restart();
          // Written before the LISTEN connection is back: delivered by the resync after it.
          await writeRow(during, 2);
          await expect(duringDone).resolves.toBe(2);
          await eventually(async () => (await listeners()) === 1, 10_000);
          await writeRow(after, 3);
          await expect(afterDone).resolves.toBe(3);
          expect(await listeners()).toBe(1);
        } finally {
          await svc.close();
        }
        await eventually(async () => (await listeners()) === 0);
      });

      it('a server that dies under a running service gives typed errors, then recovers', async () => {
        const svc = await createResultBackend(
          {
            url: url(),
          },
          quiet,
        );
        try {
          await svc.ping();
          await server.kill();
          await expect(svc.ping()).rejects.toBeInstanceOf(
            BackendUnavailableError,
          );
          await expect(svc.getTaskMeta(randomUUID())).rejects.toBeInstanceOf(
            BackendUnavailableError,
          );
          await server.restart();
          await eventually(() =>
            svc.ping().then(
              () => true,
              () => false,
            ),
          );
        } finally {
          await svc.close();
        }
      });
    });
  },
);

describe('PostgreSQL unreachable', () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts TCP and never answers: only the connect timeout can end the attempt.
    silent = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it('a silent server gives BackendUnavailableError after connect_timeout, password masked', async () => {
    const { port } = silent.address() as { port: number };
    const err = await createResultBackend(
      {
        url: `db+postgresql://celery:s3cret@127.0.0.1:${port}/celery?connect_timeout=1`,
      },
      quiet,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(String(err)).not.toMatch(/s3cret/);
    expect(String(err)).toMatch(/celery:\*\*\*@/);
  });
});
