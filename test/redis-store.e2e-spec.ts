/**
 * Redis store against a real redis-server: the raw store contract, Celery's bytes and command
 * sequences (vectors + MONITOR), the atomic SUCCESS guard, chord keys, incr, expiry, the
 * multiplexed subscriber, and clean shutdown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter, take, timeout, toArray } from 'rxjs';
import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import type { RedisResultStore } from '../libs/result-backend/src/stores/redis/redis-result.store.js';
import { closesAfterEach } from './support/cleanup.js';
import { describeWithServer } from './support/skip-gate.js';
import { ttlWindow } from './support/ttl-window.js';
import {
  celeryCommandsFor,
  celeryLinesMentioning,
  eventually,
  openStore,
  rawClient,
  RecordingLogger,
  redisConfig,
  redisVectors,
  startMonitor,
  startRedis,
  storedText,
  type TestRedis,
} from './support/redis-server.js';

const SUB_NAME = 'celery-result-backend-sub';

describeWithServer(['redis-server'], 'redis store (redis-server)', () => {
  let redis: TestRedis;
  let store: RedisResultStore;
  let raw: Redis;
  const logger = new RecordingLogger();
  const sockDir = mkdtempSync(join(tmpdir(), 'redis-sock-'));
  /** Clients a test opened: closed after it, also when an expectation failed first. */
  const own = closesAfterEach();

  beforeAll(async () => {
    redis = await startRedis({ unixSocket: join(sockDir, 'redis.sock') });
    store = await openStore(
      redisConfig(redis.port, { password: undefined }),
      logger,
    );
    raw = rawClient(redis.port);
  });

  afterAll(async () => {
    await store?.close();
    await raw?.quit();
    await redis?.stop();
    rmSync(sockDir, { recursive: true, force: true });
  });

  it('masks the password and never logs it', async () => {
    const secret = 'hunter2-secret';
    await raw.call(
      'ACL',
      'SETUSER',
      'app',
      'on',
      `>${secret}`,
      '~*',
      '&*',
      '+@all',
    );
    const log = new RecordingLogger();
    const s = own(
      await openStore(
        redisConfig(redis.port, { username: 'app', password: secret }),
        log,
      ),
    );
    expect(s.description).toBe(`redis://app:***@127.0.0.1:${redis.port}/0`);
    await s.ping();
    await s.close();
    const bad = own(
      await openStore(
        redisConfig(redis.port, { username: 'app', password: 'wrong-pw' }),
        log,
      ),
    );
    await expect(bad.ping()).rejects.toBeInstanceOf(BackendUnavailableError);
    await eventually(
      () =>
        log.lines.some((l) => l.includes('WRONGPASS')) &&
        bad['client'].status === 'reconnecting',
    );
    await bad.close();
    expect(log.lines.join('\n')).not.toContain(secret);
    expect(log.lines.join('\n')).not.toContain('wrong-pw');
  });

  describe('Celery bytes and commands', () => {
    const vectors = redisVectors();

    it('stores every Celery string vector byte for byte, with its TTL, and publishes the same bytes', async () => {
      const items = vectors.flatMap((v) =>
        v.stored.filter((s) => s.redis_type === 'string'),
      );
      expect(items.length).toBeGreaterThan(100);
      const sub = own(rawClient(redis.port), (c) => c.disconnect());
      const published = new Map<string, string>();
      sub.on('message', (ch: string, msg: string) => published.set(ch, msg));
      await sub.subscribe(...new Set(items.map((i) => i.key)));
      for (const item of items) {
        const value = storedText(item);
        await raw.del(item.key);
        published.delete(item.key);
        const ttlOk = ttlWindow(86400);
        expect(
          await store.set(
            item.key,
            value,
            86400,
            !item.key.startsWith('celery-taskset-meta-'),
          ),
        ).toBe('written');
        expect(await raw.get(item.key)).toBe(value);
        ttlOk(await raw.ttl(item.key));
        await eventually(() => published.has(item.key));
        expect(published.get(item.key)).toBe(value);
      }
      await sub.quit();
    });

    it('a guarded write runs Celery GET/SETEX/PUBLISH inside one script (EVAL/EVALSHA instead of GET + MULTI/EXEC)', async () => {
      const vector = vectors.find(
        (v) => v.vector === 'redis/plain-api/success_int',
      );
      if (!vector) throw new Error('vector missing');
      const item = vector.stored[0];
      const value = storedText(item);
      await raw.del(item.key);
      const monitor = own(await startMonitor(redis.port), (m) => m.stop());
      const ttlOk = ttlWindow(86400);
      await store.set(item.key, value, 86400, true);
      await eventually(() =>
        monitor.lines.some((l) => l.args[0].toLowerCase() === 'publish'),
      );
      await monitor.stop();
      const mine = monitor.lines.filter((l) => l.args.includes(item.key));
      expect(mine.map((l) => l.args[0].toLowerCase())).toEqual([
        expect.stringMatching(/^eval(sha)?$/),
        'get',
        'setex',
        'publish',
      ]);
      const inner = mine.filter((l) => l.source === 'lua').map((l) => l.args);
      // Celery: GET, MULTI, SETEX, PUBLISH, EXEC (vectors MONITOR.txt, cut at 400 chars there).
      const celery = celeryCommandsFor('redis/plain-api/MONITOR.txt', item.key);
      expect(celery.slice(0, 5).map((c) => c[0])).toEqual([
        'GET',
        'MULTI',
        'SETEX',
        'PUBLISH',
        'EXEC',
      ]);
      expect(inner).toEqual([
        ['GET', item.key],
        ['SETEX', item.key, '86400', value],
        ['PUBLISH', item.key, value],
      ]);
      ttlOk(await raw.ttl(item.key));
    });

    it('chord parts written through StoreChordCounter match the chord_partial vector and Celery pipeline', async () => {
      const vector = vectors.find(
        (v) => v.vector === 'redis/plain-api/chord_partial',
      );
      if (!vector || !store.chord)
        throw new Error('vector or chord counter missing');
      const zset = vector.stored.find((s) => s.redis_type === 'zset');
      const size = vector.stored.find((s) => s.key.endsWith('.s'));
      if (!zset?.members || !size) throw new Error('vector incomplete');
      const groupKey = zset.key.slice(0, -2);
      await raw.del(`${groupKey}.j`, `${groupKey}.t`, `${groupKey}.s`);
      const monitor = own(await startMonitor(redis.port), (m) => m.stop());
      const ttlOk = ttlWindow(86400);
      await store.chord.setSize(groupKey, 3, 86400);
      const results = [];
      for (const m of zset.members)
        results.push(
          await store.chord.addPart(groupKey, m.raw_text, m.score, 86400),
        );
      await eventually(
        () =>
          monitor.lines.filter((l) => l.args[0].toLowerCase() === 'expire')
            .length >= 6,
      );
      await monitor.stop();
      expect(results).toEqual([
        { done: 1, size: 3, extra: 0 },
        { done: 2, size: 3, extra: 0 },
      ]);
      expect(await raw.get(`${groupKey}.s`)).toBe(storedText(size));
      expect(await raw.zrange(`${groupKey}.j`, 0, -1, 'WITHSCORES')).toEqual(
        zset.members.flatMap((m) => [m.raw_text, String(m.score)]),
      );
      ttlOk(await raw.ttl(`${groupKey}.j`));
      ttlOk(await raw.ttl(`${groupKey}.s`));
      expect(await store.chord.parts(groupKey)).toEqual(
        zset.members.map((m) => m.raw_text),
      );
      // The commands inside our scripts are Celery's commands for these keys, in Celery's order
      // (Celery wraps them in MULTI/EXEC; MONITOR.txt cuts arguments at 400 chars: these are short).
      const members = zset.members;
      const inner = monitor.lines
        .filter((l) => l.source === 'lua')
        .map((l) => [l.args[0].toUpperCase(), ...l.args.slice(1)].join(' '));
      const celery = celeryLinesMentioning(
        'redis/plain-api/MONITOR.txt',
        groupKey,
      ).filter((l) => l !== 'MULTI' && l !== 'EXEC');
      expect(celery).toHaveLength(2 + 7 * members.length);
      expect(inner).toEqual(celery);
      expect(inner.slice(2, 9)).toEqual([
        `ZADD ${groupKey}.j 0 ${members[0].raw_text}`,
        `ZCOUNT ${groupKey}.j -inf +inf`,
        `GET ${groupKey}.t`,
        `GET ${groupKey}.s`,
        `EXPIRE ${groupKey}.j 86400`,
        `EXPIRE ${groupKey}.t 86400`,
        `EXPIRE ${groupKey}.s 86400`,
      ]);
      await store.chord.clear(groupKey);
      expect(
        await raw.exists(`${groupKey}.j`, `${groupKey}.t`, `${groupKey}.s`),
      ).toBe(0);
    });

    it('chord: .t counts as extra parts, +inf score, no expiry without ttl', async () => {
      const chord = store.chord;
      if (!chord) throw new Error('no chord counter');
      const g = `celery-taskset-meta-chord-extra-${Date.now()}`;
      await chord.setSize(g, 1, null);
      await raw.incrby(`${g}.t`, 2);
      expect(
        await chord.addPart(g, '[1, "a", "SUCCESS", 1]', Infinity, null),
      ).toEqual({ done: 1, size: 1, extra: 2 });
      expect(await raw.zscore(`${g}.j`, '[1, "a", "SUCCESS", 1]')).toBe('inf');
      expect(await raw.ttl(`${g}.j`)).toBe(-1);
      expect(await chord.addPart(`${g}-none`, 'm', 0, 60)).toEqual({
        done: 1,
        size: null,
        extra: 0,
      });
      await chord.clear(g);
      await chord.clear(`${g}-none`);
    });
  });

  describe('SUCCESS is final (Lua guard)', () => {
    const cases: [string, string, 'written' | 'kept-success'][] = [
      [
        'Celery SUCCESS document',
        '{"status": "SUCCESS", "result": 1, "task_id": "x"}',
        'kept-success',
      ],
      [
        'status last, compact',
        '{"result":1,"status":"SUCCESS"}',
        'kept-success',
      ],
      [
        'NaN and Infinity, status last',
        '{"result": [NaN, -Infinity], "status": "SUCCESS"}',
        'kept-success',
      ],
      [
        'lone surrogate (cjson refuses it): scanner',
        '{"result": "\\ud800", "status": "SUCCESS"}',
        'kept-success',
      ],
      [
        'lone surrogate, nested SUCCESS only',
        '{"status": "FAILURE", "result": {"status": "SUCCESS", "x": "\\ud800"}}',
        'written',
      ],
      [
        'nested SUCCESS only',
        '{"status": "PROGRESS", "result": {"status": "SUCCESS"}}',
        'written',
      ],
      [
        '"SUCCESS" as a value elsewhere',
        '{"status": "STARTED", "result": "SUCCESS"}',
        'written',
      ],
      [
        'duplicate status, last wins (scanner)',
        '{"x": "\\udc00", "status": "SUCCESS", "status": "FAILURE"}',
        'written',
      ],
      [
        'escaped quote before status',
        '{"result": "a\\"b", "status": "SUCCESS", "y": "\\ud800"}',
        'kept-success',
      ],
      ['not JSON', 'SUCCESS', 'written'],
      ['group meta', '{"result": [["g", null], []]}', 'written'],
    ];
    it.each(cases)('%s', async (_name, current, outcome) => {
      const key = `celery-task-meta-guard-${Math.random().toString(36).slice(2)}`;
      await raw.set(key, current);
      const next = '{"status": "FAILURE", "result": null, "task_id": "x"}';
      expect(await store.set(key, next, 60, true)).toBe(outcome);
      expect(await raw.get(key)).toBe(outcome === 'written' ? next : current);
    });

    it('overwrites a key of another type, as SET does', async () => {
      const key = `celery-task-meta-wrongtype-${Date.now()}`;
      await raw.zadd(key, 1, 'x');
      expect(await store.set(key, 'v', 60, true)).toBe('written');
      expect(await raw.get(key)).toBe('v');
    });
  });

  describe('expiry, incr, delete, limits', () => {
    it('ttl null or under a second writes SET without expiry; fractions are truncated', async () => {
      const k = `celery-task-meta-ttl-${Date.now()}`;
      await store.set(k, 'a', null, false);
      expect(await raw.ttl(k)).toBe(-1);
      await store.set(k, 'b', 0.5, false);
      expect(await raw.ttl(k)).toBe(-1);
      const ttlOk = ttlWindow(10); // truncated: 11 (rounded up) fails
      await store.set(k, 'c', 10.7, false);
      ttlOk(await raw.ttl(k));
    });

    it('incr counts and refreshes the TTL', async () => {
      const k = `chord-unlock-${Date.now()}`;
      const ttlOk = ttlWindow(100);
      expect(await store.incr(k, 100)).toBe(1);
      expect(await store.incr(k, 100)).toBe(2);
      ttlOk(await raw.ttl(k));
      expect(await store.incr(`${k}-b`, null)).toBe(1);
      expect(await raw.ttl(`${k}-b`)).toBe(-1);
    });

    it('reads an empty value as null', async () => {
      const k = `celery-task-meta-empty-${Date.now()}`;
      await raw.set(k, '');
      expect(await store.get(k)).toBeNull();
      expect(await store.mget([k])).toEqual([null]);
    });

    it('applies Celery socket_timeout: a stalled connection is reopened and the command resent', async () => {
      const log = new RecordingLogger();
      const s = own(
        await openStore(redisConfig(redis.port, { socketTimeout: 0.4 }), log),
      );
      const k = `celery-task-meta-stall-${Date.now()}`;
      await raw.set(k, 'after the stall');
      await s.ping();
      await raw.call('CLIENT', 'PAUSE', '1200', 'ALL');
      expect(await s.get(k)).toBe('after the stall');
      expect(
        log.lines.some((l) =>
          l.includes('no reply within 400 ms, reconnecting'),
        ),
      ).toBe(true);
      await s.close();
    });

    it('mget splits 2,500 keys into MGETs of 1,000', async () => {
      const keys = Array.from(
        { length: 2500 },
        (_, i) => `celery-task-meta-many-${i}`,
      );
      await raw.mset(keys.flatMap((k, i) => (i % 2 ? [k, `v${i}`] : [])));
      const monitor = own(await startMonitor(redis.port), (m) => m.stop());
      const got = await store.mget(keys);
      await monitor.stop();
      expect(got).toEqual(keys.map((_, i) => (i % 2 ? `v${i}` : null)));
      expect(
        monitor.lines
          .filter((l) => l.args[0].toLowerCase() === 'mget')
          .map((l) => l.args.length - 1),
      ).toEqual([1000, 1000, 500]);
    });
  });

  describe('one multiplexed subscriber', () => {
    it('coalesces 1,000 add() calls of one tick into one SUBSCRIBE on one connection', async () => {
      const keys = Array.from(
        { length: 1000 },
        (_, i) => `celery-task-meta-coalesce-${i}`,
      );
      const monitor = own(await startMonitor(redis.port), (m) => m.stop());
      await Promise.all(keys.map((k) => store.push.add([k])));
      await monitor.stop();
      const subs = monitor.lines.filter(
        (l) => l.args[0].toLowerCase() === 'subscribe',
      );
      expect(subs).toHaveLength(1);
      expect(subs[0].args.length - 1).toBe(1000);
      const numsub = (await raw.pubsub('NUMSUB', ...keys)) as (
        string | number
      )[];
      expect(
        numsub.filter((_, i) => i % 2 === 1).every((n) => Number(n) === 1),
      ).toBe(true);
      const list = await raw.client('LIST');
      expect(
        String(list)
          .split('\n')
          .filter((l) => l.includes(`name=${SUB_NAME} `)),
      ).toHaveLength(1);
      await Promise.all(keys.map((k) => store.push.remove([k])));
      const after = (await raw.pubsub('NUMSUB', ...keys)) as (
        string | number
      )[];
      expect(
        after.filter((_, i) => i % 2 === 1).every((n) => Number(n) === 0),
      ).toBe(true);
    });

    it('delivers the published bytes as change events, only for watched keys', async () => {
      const a = `celery-task-meta-push-a-${Date.now()}`;
      const b = `celery-task-meta-push-b-${Date.now()}`;
      await store.push.add([a]);
      const got = firstValueFrom(
        store.push.events.pipe(take(2), toArray(), timeout(5000)),
      );
      await raw.publish(b, 'not watched');
      await store.set(a, '{"status": "STARTED"}', 60, true);
      await raw.publish(a, 'second');
      expect(await got).toEqual([
        { type: 'change', key: a, value: '{"status": "STARTED"}' },
        { type: 'change', key: a, value: 'second' },
      ]);
      await store.push.remove([a]);
    });

    it('add then remove in the same tick leaves nothing subscribed', async () => {
      const k = `celery-task-meta-flip-${Date.now()}`;
      await Promise.all([store.push.add([k]), store.push.remove([k])]);
      expect(await raw.pubsub('NUMSUB', k)).toEqual([k, 0]);
    });
  });

  describe('connections', () => {
    it('works over a unix socket with the database from the config (redis+socket://…?virtual_host=2)', async () => {
      const s = own(
        await openStore(
          redisConfig(0, {
            host: '',
            socketPath: join(sockDir, 'redis.sock'),
            db: 2,
          }),
        ),
      );
      expect(s.description).toBe(
        `redis+socket://${join(sockDir, 'redis.sock')}?virtual_host=2`,
      );
      await s.set('celery-task-meta-sock', 'via socket', 60, false);
      const db2 = own(rawClient(redis.port, 2), (c) => c.disconnect());
      expect(await db2.get('celery-task-meta-sock')).toBe('via socket');
      await db2.quit();
      await s.close();
    });

    it('close() is idempotent, rejects later calls and leaves no connection behind', async () => {
      const s = own(await openStore(redisConfig(redis.port)));
      await s.push.add(['celery-task-meta-close-test']);
      const before = String(await raw.client('LIST'))
        .split('\n')
        .filter((l) => l.includes('name=celery-result-backend'));
      expect(before.length).toBeGreaterThanOrEqual(2);
      await Promise.all([s.close(), s.close()]);
      await s.close();
      await expect(s.get('x')).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(s.push.add(['y'])).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      const done = await firstValueFrom(
        s.push.events.pipe(filter(() => false)),
        { defaultValue: 'completed' },
      );
      expect(done).toBe('completed');
      await eventually(async () => {
        const list = String(await raw.client('LIST'))
          .split('\n')
          .filter((l) => l.includes('name=celery-result-backend'));
        return list.length === before.length - 2;
      });
    });
  });
});
