/**
 * Redis store through a server crash: redis-server is killed (SIGKILL) and restarted on the
 * same port while 1,000 watches are active or pending. Every result stored after the restart
 * must reach the watcher (change event, or the re-read on recovered), every channel must be subscribed
 * again on the same single subscriber connection, and nothing may leak.
 */
import type { Subscription } from 'rxjs';
import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import type { RedisResultStore } from '../libs/result-backend/src/stores/redis/redis-result.store.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  eventually,
  openStore,
  rawClient,
  RecordingLogger,
  redisConfig,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';

const EVENTS = ['message', 'ready', 'close', 'error', 'end'] as const;

function listenerCounts(c: Redis): number[] {
  return EVENTS.map((e) => c.listenerCount(e));
}

async function ourConnections(raw: Redis): Promise<string[]> {
  const list = String(await raw.client('LIST'));
  return list
    .split('\n')
    .map((l) => /name=(\S*)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith('celery-result-backend'))
    .sort();
}

describeWithServer(
  ['redis-server'],
  'redis store across a redis-server restart',
  () => {
    let redis: TestRedis;
    let store: RedisResultStore;
    let events: Subscription | undefined;
    let writer: Redis | undefined;
    const logger = new RecordingLogger();

    beforeAll(async () => {
      redis = await startRedis();
      store = await openStore(redisConfig(redis.port), logger);
    });

    afterAll(async () => {
      events?.unsubscribe();
      writer?.disconnect(); // also when an expectation failed before the test's own quit
      await store?.close();
      await redis?.stop();
    });

    it('delivers every result stored after a crash to 1,000 watches, resubscribed on one connection', async () => {
      const keys = Array.from(
        { length: 1000 },
        (_, i) => `celery-task-meta-restart-${i}`,
      );
      const delivered = new Set<string>();
      let recoveries = 0;
      let degraded = 0;
      const rereads: Promise<void>[] = [];
      events = store.push.events.subscribe((e) => {
        if (e.type === 'change') {
          if (e.value) delivered.add(e.key);
          return;
        }
        // While degraded the engine polls (reads fail during the outage); on recovered it
        // re-reads everything it watches, which this test does by hand.
        if (e.type === 'degraded') degraded += 1;
        if (e.type !== 'recovered') return;
        recoveries += 1;
        rereads.push(
          store.mget(keys).then((values) => {
            values.forEach((v, i) => v !== null && delivered.add(keys[i]));
          }),
        );
      });

      await store.push.add(keys.slice(0, 500));
      const sub = (store.push as unknown as { client: Redis }).client;
      const cmd = (store as unknown as { client: Redis }).client;
      // Snapshot a settled state: a lazy connect() in flight holds one-shot 'ready'/'close'
      // listeners of its own, which would make the comparison below racy.
      await store.ping();
      await eventually(() => sub.status === 'ready' && cmd.status === 'ready');
      const before = [listenerCounts(sub), listenerCounts(cmd)];

      await redis.stop('SIGKILL');
      await eventually(() => sub.status !== 'ready' && cmd.status !== 'ready');
      await expect(store.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      let pendingResolved = false;
      const pending = store.push.add(keys.slice(500)).then(() => {
        pendingResolved = true;
      });
      await new Promise((r) => setImmediate(r));
      expect(pendingResolved).toBe(false);

      await redis.restart();
      // A Celery-like writer stores every result as soon as the server is back, racing the
      // subscriber's reconnection: the re-read on recovered covers what was published too early.
      writer = rawClient(redis.port);
      const w = writer;
      await Promise.all(
        keys.map((k) =>
          w
            .multi()
            .setex(k, 60, `{"status": "SUCCESS", "result": "${k}"}`)
            .publish(k, `{"status": "SUCCESS", "result": "${k}"}`)
            .exec(),
        ),
      );
      await pending;
      await eventually(() => recoveries >= 1, 10000);
      expect(degraded).toBe(1);
      await Promise.all(rereads);
      await eventually(() => delivered.size === keys.length, 10000);
      const numsub = (await w.pubsub('NUMSUB', ...keys)) as (string | number)[];
      expect(numsub.filter((_, i) => i % 2 === 1).map(Number)).toEqual(
        keys.map(() => 1),
      );
      await store.ping();
      expect(await ourConnections(w)).toEqual([
        'celery-result-backend',
        'celery-result-backend-sub',
      ]);
      const now = (): string =>
        JSON.stringify([listenerCounts(sub), listenerCounts(cmd)]);
      await eventually(() => now() === JSON.stringify(before)).catch(
        () => undefined, // the expectation below shows the difference
      );
      expect([listenerCounts(sub), listenerCounts(cmd)]).toEqual(before);
      expect((store.push as unknown as { client: Redis }).client).toBe(sub);
      expect(
        logger.lines.some((l) => l.includes('1000 channel(s) resubscribed')),
      ).toBe(true);
      await w.quit();
      writer = undefined;
    }, 30000);
  },
);
