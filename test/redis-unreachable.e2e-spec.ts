/**
 * Unreachable Redis, Sentinel and Cluster (issue 17 §5): every call fails with
 * BackendUnavailableError within the bound (Celery's redis_socket_connect_timeout, else 5 s),
 * never hangs; close() finishes even if never connected; watches keep waiting and deliver
 * after recovery; an outage logs one line when it starts and one when it ends (not one per
 * connection, subscriber or watch poll).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendUnavailableError,
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  eventually,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

import {
  getFreePort,
  startServer,
  type TestServer,
} from './support/server-process.js';
import { describeWithServer } from './support/skip-gate.js';
import { LevelLogger } from './support/level-logger.js';
import { pause } from './support/service-contract.js';
import { closesAfterEach } from './support/cleanup.js';

/** Services a test opened: closed even when it failed first (else ioredis reconnects forever). */
const own = closesAfterEach();

/** A failed call: its error and how long it took (reported, not asserted as a timing). */
async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('call succeeded against a dead server'),
    (e: unknown) => e,
  );
}

/** Every kind of call on `svc` rejects with BackendUnavailableError; then close() ends. */
async function expectAllUnavailable(svc: ResultBackendService): Promise<void> {
  const id = randomUUID();
  const watch = svc.waitFor(id, { timeout: 60_000 }).catch((e: unknown) => e);
  const calls = await Promise.all([
    failure(svc.getTaskMeta(id)),
    failure(svc.markAsDone(id, 1)),
    failure(svc.getMany([id, randomUUID()])),
    failure(svc.forget(id)),
  ]);
  for (const err of calls) expect(err).toBeInstanceOf(BackendUnavailableError);
  await svc.close();
  // close() rejects pending waits instead of leaving them hanging.
  expect(await watch).toBeInstanceOf(Error);
}

describeWithServer(
  ['redis-server'],
  'Redis family with no server reachable',
  () => {
    let dead: number;
    beforeAll(async () => {
      dead = await getFreePort();
    });

    it('redis:// fails every call within the default bound and closes', async () => {
      const svc = own(
        await createResultBackend(
          { url: `redis://127.0.0.1:${dead}/0` },
          { logger: new LevelLogger() },
        ),
      );
      await expectAllUnavailable(svc);
    }, 30_000);

    it('redis:// honours redis_socket_connect_timeout (1 s)', async () => {
      const svc = own(
        await createResultBackend(
          { url: `redis://127.0.0.1:${dead}/0?socket_connect_timeout=1` },
          { logger: new LevelLogger() },
        ),
      );
      await expectAllUnavailable(svc);
    }, 15_000);

    it('sentinel:// with no sentinel reachable fails every call and closes', async () => {
      const svc = own(
        await createResultBackend(
          {
            url: `sentinel://127.0.0.1:${dead}/0?socket_connect_timeout=1`,
            redis: { masterName: 'mymaster' },
          },
          { logger: new LevelLogger() },
        ),
      );
      await expectAllUnavailable(svc);
    }, 15_000);

    it('redis+cluster:// with no node reachable fails every call and closes', async () => {
      const svc = own(
        await createResultBackend(
          { url: `redis+cluster://127.0.0.1:${dead}?socket_connect_timeout=1` },
          { logger: new LevelLogger() },
        ),
      );
      await expectAllUnavailable(svc);
    }, 15_000);

    it('close() right after creating, never connected, after a watch, finishes', async () => {
      for (const url of [
        `redis://127.0.0.1:${dead}/0`,
        `sentinel://127.0.0.1:${dead}/0`,
        `redis+cluster://127.0.0.1:${dead}`,
      ]) {
        const svc = own(
          await createResultBackend(
            { url, redis: { masterName: 'mymaster' } },
            { logger: new LevelLogger() },
          ),
        );
        const sub = svc
          .watch(randomUUID())
          .subscribe({ error: () => undefined });
        await pause(50);
        await svc.close();
        sub.unsubscribe();
      }
    }, 30_000);
  },
);

describeWithServer(
  ['redis-server'],
  'a sentinel that does not monitor the master',
  () => {
    let sentinel: TestServer;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'rb-sentinel-'));
      const port = await getFreePort();
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(conf, `port ${port}\nbind 127.0.0.1\n`);
      sentinel = await startServer({
        command: 'redis-server',
        args: [conf, '--sentinel'],
        port,
      });
    });
    afterAll(async () => {
      await sentinel?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('fails calls with BackendUnavailableError instead of waiting forever', async () => {
      const svc = own(
        await createResultBackend(
          {
            url: `sentinel://127.0.0.1:${sentinel.port}/0?socket_connect_timeout=1`,
            redis: { masterName: 'not-monitored' },
          },
          { logger: new LevelLogger() },
        ),
      );
      await expectAllUnavailable(svc);
    }, 15_000);
  },
);

describeWithServer(['redis-server'], 'redis:// outage and recovery', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('fails reads during the outage, delivers the watch after it, logs the outage once', async () => {
    const logger = new LevelLogger();
    const svc = own(
      await createResultBackend(
        { url: `${redis.url}?socket_connect_timeout=1` },
        { logger },
      ),
    );
    const id = randomUUID();
    await svc.markAsStarted(id);
    const wait = svc.waitFor<string>(id, { timeout: 60_000 });
    await pause(200);
    const lines = logger.lines.length;
    await redis.stop();
    expect(await failure(svc.getTaskMeta(id))).toBeInstanceOf(
      BackendUnavailableError,
    );
    expect(await failure(svc.markAsDone(id, 'x'))).toBeInstanceOf(
      BackendUnavailableError,
    );
    await pause(3000); // several reconnect attempts
    const during = logger.lines.slice(lines);
    await redis.restart();
    // The restarted server is empty: STARTED is gone; write the result after recovery.
    // Retried until a deadline, not a count: a slow machine reconnects later.
    await eventually(
      () =>
        svc.markAsDone(id, 'after').then(
          () => true,
          () => false,
        ),
      30_000,
    );
    await expect(wait).resolves.toBe('after');
    // Settled: the outage's end is logged once the last part is back.
    await eventually(() =>
      logger.lines.slice(lines).some((l) => l.startsWith('LOG')),
    );
    const after = logger.lines
      .slice(lines)
      .filter((l) => !l.startsWith('DEBUG'));
    await svc.close();
    // One outage of the whole backend, not one per part (command connection, subscriber, the
    // watch engine's fallback reads) nor per reconnect attempt or poll: 3 s of outage is
    // several of each.
    expect(during.filter((l) => l.startsWith('WARN'))).toHaveLength(1);
    expect(after).toEqual([
      expect.stringMatching(
        /^WARN Result store redis:\/\/127\.0\.0\.1:\d+\/0 unavailable \((connection|subscriber|watch reads): .+\); retrying/,
      ),
      expect.stringMatching(
        /^LOG Result store redis:\/\/127\.0\.0\.1:\d+\/0 reachable again after \d+ ms$/,
      ),
    ]);
  }, 60_000);
});
