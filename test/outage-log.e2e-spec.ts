/**
 * One outage, one start line, one end line (issue 17 §5), per backend instance, whatever the
 * number of its parts: a real server is killed while watches are pending and restarted; every
 * part that goes down (command connection, subscriber, changes feed, LISTEN client, the watch
 * engine's reads) reports to the instance's one outage log. Between the kill and the recovery
 * the backend writes exactly one WARN (masked description, first cause) and one LOG (with the
 * duration); per-part detail is debug only. The pending watches are delivered after recovery.
 */
import { randomUUID } from 'node:crypto';
import { installPostgresqlNotifyTrigger } from '../libs/result-backend/src/configuration.js';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import { closesAfterEach } from './support/cleanup.js';
import {
  POUCHDB_SERVER_BIN,
  startCouchServer,
} from './support/couchdb-server.js';
import { startMemcached } from './support/memcached-server.js';
import { PG_BINARIES, startPostgresql } from './support/postgresql-server.js';
import { eventually, startRedis } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';
import { LevelLogger } from './support/level-logger.js';

/** A server a case kills and restarts. */
interface Subject {
  readonly url: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const own = closesAfterEach();
const WATCHES = 20;

/** Write `value` as soon as the backend accepts writes again (the restarted server may be empty). */
async function writeWhenBack(
  svc: ResultBackendService,
  id: string,
  value: string,
): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await svc.markAsDone(id, value);
      return;
    } catch (err) {
      if (i >= 200) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Kill the server under `WATCHES` pending watches, wait until each of `parts` reported down,
 * restart it, write the results, and check the lines written meanwhile.
 */
async function outageLogsOnce(
  subject: Subject,
  parts: readonly string[],
): Promise<void> {
  const logger = new LevelLogger();
  const svc = own(
    await createResultBackend(
      { url: subject.url, pollIntervalMs: 100 },
      { logger },
    ),
  );
  const ids = Array.from({ length: WATCHES }, () => randomUUID());
  // Settled here, so a failure below reports itself, not the waits close() rejects.
  const waits = ids.map((id) =>
    svc.waitFor<string>(id, { timeout: 60_000 }).catch((e: unknown) => e),
  );
  await eventually(() => svc.watching === WATCHES);
  await svc.getTaskMeta(ids[0]); // connected
  await new Promise((r) => setTimeout(r, 300)); // subscriptions made, first reads done
  const from = logger.lines.length;
  const since = (): string[] => logger.lines.slice(from);
  await subject.kill();
  // Every part went down (debug detail), so one line per part would show.
  for (const part of parts)
    await eventually(
      () =>
        since().some(
          (l) => l.startsWith('DEBUG') && l.includes(`: ${part} down`),
        ),
      20_000,
    );
  await subject.restart();
  await Promise.all(ids.map((id, i) => writeWhenBack(svc, id, `v${i}`)));
  expect(await Promise.all(waits)).toEqual(ids.map((_, i) => `v${i}`));
  await eventually(() => since().some((l) => l.startsWith('LOG')), 20_000);
  const loud = since().filter((l) => !l.startsWith('DEBUG'));
  const desc = svc.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(loud).toHaveLength(2);
  expect(loud[0]).toMatch(
    new RegExp(
      `^WARN Result store ${desc} unavailable \\((${parts.join('|')}): .+\\); retrying`,
    ),
  );
  expect(loud[1]).toMatch(
    new RegExp(`^LOG Result store ${desc} reachable again after \\d+ ms$`),
  );
  // Each part reported down once and up once, whatever the number of retries and polls.
  for (const part of parts) {
    const of = (what: string): number =>
      since().filter(
        (l) =>
          l.endsWith(`: ${part} ${what}`) || l.includes(`: ${part} ${what} (`),
      ).length;
    expect([part, of('down'), of('up')]).toEqual([part, 1, 1]);
  }
}

describeWithServer(['redis-server'], 'outage log: redis://', () => {
  it('logs one line when the outage starts and one when it ends (connection, subscriber, reads)', async () => {
    const redis = await startRedis();
    try {
      await outageLogsOnce(
        {
          url: `${redis.url}?socket_connect_timeout=1`,
          kill: () => redis.stop('SIGKILL'),
          restart: () => redis.restart(),
          stop: () => redis.stop(),
        },
        ['connection', 'subscriber', 'watch reads'],
      );
    } finally {
      await redis.stop();
    }
  }, 60_000);
});

describeWithServer(['memcached'], 'outage log: memcached', () => {
  it('logs one line when the outage starts and one when it ends', async () => {
    const mc = await startMemcached();
    try {
      await outageLogsOnce(
        {
          url: `cache+memcached://${mc.address}/`,
          kill: () => mc.stop(),
          restart: () => mc.restart(),
          stop: () => mc.stop(),
        },
        ['watch reads'],
      );
    } finally {
      await mc.stop();
    }
  }, 60_000);
});

describeWithServer(PG_BINARIES, 'outage log: PostgreSQL with LISTEN', () => {
  it('logs one line when the outage starts and one when it ends (LISTEN client, reads)', async () => {
    const pg = await startPostgresql();
    try {
      await pg.createDatabase('outage');
      const url = pg.url('outage');
      const setup = await createResultBackend({
        url,
        postgresql: { createTables: true },
      });
      await setup.close();
      const pool = pg.pool('outage');
      try {
        await installPostgresqlNotifyTrigger(pool);
      } finally {
        await pool.end();
      }
      await outageLogsOnce(
        {
          url,
          kill: () => pg.kill('SIGQUIT'), // immediate shutdown: children too
          restart: () => pg.restart(),
          stop: () => pg.stop(),
        },
        ['LISTEN connection', 'watch reads'],
      );
    } finally {
      await pg.stop();
    }
  }, 60_000);
});

describeWithServer([POUCHDB_SERVER_BIN], 'outage log: CouchDB', () => {
  it('logs one line when the outage starts and one when it ends (changes feed, reads)', async () => {
    const couch = await startCouchServer();
    try {
      await outageLogsOnce(
        {
          url: `couchdb://127.0.0.1:${couch.port}/outage`,
          kill: () => couch.stop(),
          restart: () => couch.restart(),
          stop: () => couch.dispose(),
        },
        ['changes feed', 'watch reads'],
      );
    } finally {
      await couch.dispose();
    }
  }, 60_000);
});
