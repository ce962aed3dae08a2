/**
 * The memcached store against real memcached servers (one and two): the raw store contract,
 * Celery's bytes and flags, key placement, TTLs, counters, round trips and write races.
 */
import { Logger } from '@nestjs/common';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import type { StoreContext } from '../libs/result-backend/src/stores/store-context.interface.js';
import { createMemcachedStore } from '../libs/result-backend/src/stores/memcached/memcached.store.js';
import { pickServerIndex } from '../libs/result-backend/src/stores/memcached/memcached-hash.router.js';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { InvalidTaskIdError } from '../libs/result-backend/src/errors/invalid-task-id.error.js';
import { MalformedResultError } from '../libs/result-backend/src/errors/malformed-result.error.js';
import { PayloadTooLargeError } from '../libs/result-backend/src/errors/payload-too-large.error.js';
import { describeWithServer } from './support/skip-gate.js';
import { ttlWindow } from './support/ttl-window.js';
import { freshKey, runStoreContract } from './support/store-contract.js';
import {
  rawGet,
  rawMemcached,
  rawTtl,
  startMemcacheds,
  type MemcachedTestServer,
} from './support/memcached-server.js';
import { celeryVectors, vectorFileBytes } from './support/celery-vectors.js';

const ctx: StoreContext = {
  logger: new Logger('memcached-test'),
  pollIntervalMs: 500,
};

interface StoredVector {
  readonly key: string;
  readonly file: string;
  readonly memcached_flags: number;
}
interface Manifest {
  readonly vectors: readonly {
    readonly vector: string;
    readonly backend: string;
    readonly stored: readonly StoredVector[];
  }[];
}

const doc = (status: string, id: string, result: unknown = null): string =>
  `{"status": "${status}", "result": ${JSON.stringify(result)}, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`;

const servers = (...s: MemcachedTestServer[]) => ({
  kind: 'memcached' as const,
  servers: s.map((x) => ({ host: '127.0.0.1', port: x.port })),
});

async function stats(port: number): Promise<Record<string, number>> {
  const text = (
    await rawMemcached(port, 'stats\r\n', (r) =>
      r.toString().endsWith('END\r\n'),
    )
  ).toString();
  return Object.fromEntries(
    [...text.matchAll(/^STAT (\S+) (\d+)\r$/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );
}

describeWithServer(['memcached'], 'memcached store', () => {
  let mcs: MemcachedTestServer[] = [];
  let one: ResultStore;
  let two: ResultStore;

  beforeAll(async () => {
    mcs = await startMemcacheds(3);
    one = await createMemcachedStore(servers(mcs[0]), ctx);
    two = await createMemcachedStore(servers(mcs[1], mcs[2]), ctx);
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await Promise.all(mcs.map((m) => m.stop()));
  });

  describe('one server', () => {
    runStoreContract(() => one, { push: false });
  });

  describe('two servers', () => {
    it('puts every key on the server pylibmc would pick, and only there', async () => {
      const keys = Array.from({ length: 60 }, () => freshKey());
      await Promise.all(keys.map((k) => two.set(k, k, 60, false)));
      for (const key of keys) {
        const at = [
          await rawGet(mcs[1].port, key),
          await rawGet(mcs[2].port, key),
        ];
        const want = pickServerIndex(key, 2);
        expect(at[want]?.data.toString()).toBe(key);
        expect(at[1 - want]).toBeNull();
      }
      expect(new Set(keys.map((k) => pickServerIndex(k, 2))).size).toBe(2);
    });

    it('mget sends one multi-get per server', async () => {
      const keys = Array.from({ length: 40 }, () => freshKey());
      await Promise.all(keys.map((k) => two.set(k, k, 60, false)));
      const before = await Promise.all([
        stats(mcs[1].port),
        stats(mcs[2].port),
      ]);
      expect(await two.mget(keys)).toEqual(keys);
      const after = await Promise.all([stats(mcs[1].port), stats(mcs[2].port)]);
      // `cmd_get` counts keys; `get_flushed`-free way to count commands: one connection, one
      // request line each. The keys split across both servers and each server saw all of its keys.
      const perServer = [0, 1].map(
        (i) => keys.filter((k) => pickServerIndex(k, 2) === i).length,
      );
      expect([0, 1].map((i) => after[i].get_hits - before[i].get_hits)).toEqual(
        perServer,
      );
    });
  });

  describe('bytes and flags as Celery stores them', () => {
    const manifest = celeryVectors() as unknown as Manifest;
    const stored = manifest.vectors
      .filter((v) => v.backend === 'cache')
      .flatMap((v) => v.stored);
    const texts = stored.filter((s) => s.memcached_flags === 16);

    it(`writes each of the ${texts.length} text vectors byte for byte with pylibmc's flags 16`, async () => {
      expect(texts.length).toBeGreaterThan(100);
      for (const item of texts) {
        const bytes = vectorFileBytes(item.file);
        await one.set(item.key, bytes.toString('utf8'), 86400, false);
        const raw = await rawGet(mcs[0].port, item.key);
        expect(raw?.flags).toBe(16);
        expect(raw?.data.equals(bytes)).toBe(true);
        expect(await one.get(item.key)).toBe(bytes.toString('utf8'));
      }
    });

    it('keeps a pylibmc counter (flags 4, "0") a counter: incr gives the vector values', async () => {
      const counters = stored.filter((s) => s.memcached_flags === 4);
      expect(counters.length).toBeGreaterThan(0);
      const key = `chord-unlock-${freshKey('')}`;
      await rawMemcached(mcs[0].port, `set ${key} 4 86400 1\r\n0\r\n`);
      expect(await one.get(key)).toBe('0');
      expect(await one.incr!(key, 86400)).toBe(1);
      expect(await one.incr!(key, 86400)).toBe(2);
      // As in chord_applied@two_parts_done: "2" with flags 4 (memcached keeps the flags on incr).
      const two_parts = vectorFileBytes(
        'cache/plain-api/chord_applied/two_parts_done/chord-unlock-2ef0a37b-75e8-5423-b309-9f471406048f',
      );
      expect(await rawGet(mcs[0].port, key)).toEqual({
        flags: 4,
        data: two_parts,
      });
    });

    it('reads flags 0, 2, 4 and 16 as text, refuses pickled (1) and zlib (8) values', async () => {
      const base = freshKey();
      for (const flags of [0, 2, 4, 16, 1, 8, 9]) {
        await rawMemcached(
          mcs[0].port,
          `set ${base}-${flags} ${flags} 60 2\r\n42\r\n`,
        );
      }
      for (const flags of [0, 2, 4, 16])
        expect(await one.get(`${base}-${flags}`)).toBe('42');
      for (const flags of [1, 8, 9])
        await expect(one.get(`${base}-${flags}`)).rejects.toBeInstanceOf(
          MalformedResultError,
        );
      await expect(one.mget([`${base}-0`, `${base}-1`])).rejects.toBeInstanceOf(
        MalformedResultError,
      );
    });

    it('refuses invalid UTF-8 and reads an empty value as missing', async () => {
      const key = freshKey();
      await rawMemcached(
        mcs[0].port,
        Buffer.concat([
          Buffer.from(`set ${key} 16 60 2\r\n`),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('\r\n'),
        ]),
      );
      await expect(one.get(key)).rejects.toBeInstanceOf(MalformedResultError);
      await rawMemcached(mcs[0].port, `set ${key} 16 60 0\r\n\r\n`);
      expect(await one.get(key)).toBeNull();
    });
  });

  describe('expiry', () => {
    it('writes a TTL as memcached exptime and null as never', async () => {
      const [a, b] = [freshKey(), freshKey()];
      const ttlOk = ttlWindow(86400);
      await one.set(a, doc('STARTED', a), 86400, true);
      await one.set(b, doc('STARTED', b), null, true);
      ttlOk(await rawTtl(mcs[0].port, a));
      expect(await rawTtl(mcs[0].port, b)).toBe(-1);
    });

    it('stores a TTL over 30 days as an absolute time (Celery would lose the entry at once)', async () => {
      const key = freshKey();
      const ttl = 90 * 86400;
      const ttlOk = ttlWindow(ttl, 1); // an absolute second may round up by one
      await one.set(key, doc('SUCCESS', key), ttl, false);
      expect(await one.get(key)).toBe(doc('SUCCESS', key));
      ttlOk(await rawTtl(mcs[0].port, key));
    });
  });

  describe('chord counter', () => {
    it('creates a missing counter as 1, increments it and refreshes the TTL', async () => {
      const key = `chord-unlock-${freshKey('')}`;
      expect(await one.incr!(key, 60)).toBe(1);
      const ttlOk = ttlWindow(3600); // refreshed from 60
      expect(await one.incr!(key, 3600)).toBe(2);
      ttlOk(await rawTtl(mcs[0].port, key));
      // The same key on the two-server store: concurrent increments on another server set.
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => two.incr!(key, 60)),
      );
      expect(new Set(counts).size).toBe(20);
      // A fresh counter on the other store's servers: every increment got its own value.
      expect([...counts].sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it('refuses to count a document', async () => {
      const key = freshKey();
      await one.set(key, doc('SUCCESS', key), 60, false);
      await expect(one.incr!(key, 60)).rejects.toBeInstanceOf(
        MalformedResultError,
      );
    });
  });

  describe('writes', () => {
    it('takes one round trip per write for STARTED then SUCCESS (Celery: two)', async () => {
      const key = freshKey();
      const before = await stats(mcs[0].port);
      expect(await one.set(key, doc('STARTED', key), 60, true)).toBe('written');
      expect(await one.set(key, doc('SUCCESS', key, 1), 60, true)).toBe(
        'written',
      );
      const after = await stats(mcs[0].port);
      expect(after.cmd_set - before.cmd_set).toBe(2);
      expect(after.cmd_get - before.cmd_get).toBe(0);
      expect(await one.get(key)).toBe(doc('SUCCESS', key, 1));
    });

    it('keeps SUCCESS written by someone else (stale CAS token: look, then keep)', async () => {
      const key = freshKey();
      await one.set(key, doc('STARTED', key), 60, true);
      await rawMemcached(
        mcs[0].port,
        `set ${key} 16 60 ${doc('SUCCESS', key, 'py').length}\r\n${doc('SUCCESS', key, 'py')}\r\n`,
      );
      expect(await one.set(key, doc('FAILURE', key), 60, true)).toBe(
        'kept-success',
      );
      expect(await one.get(key)).toBe(doc('SUCCESS', key, 'py'));
    });

    it('overwrites a non-SUCCESS value written by someone else', async () => {
      const key = freshKey();
      await one.set(key, doc('STARTED', key), 60, true);
      await rawMemcached(
        mcs[0].port,
        `set ${key} 16 60 ${doc('RETRY', key).length}\r\n${doc('RETRY', key)}\r\n`,
      );
      expect(await one.set(key, doc('SUCCESS', key), 60, true)).toBe('written');
      await rawMemcached(mcs[0].port, `delete ${key}\r\n`);
      expect(await one.set(key, doc('FAILURE', key), 60, true)).toBe('written');
      expect(await one.get(key)).toBe(doc('FAILURE', key));
    });

    it('keeps SUCCESS under many concurrent writers on separate connections', async () => {
      const stores = await Promise.all(
        Array.from({ length: 6 }, () =>
          createMemcachedStore(servers(mcs[1], mcs[2]), ctx),
        ),
      );
      try {
        for (let round = 0; round < 5; round++) {
          const key = freshKey();
          const writes = stores.flatMap((s, w) =>
            Array.from({ length: 15 }, (_, i) =>
              s.set(
                key,
                w === 2 && i === 7
                  ? doc('SUCCESS', key, 'win')
                  : doc('PROGRESS', key, [w, i]),
                60,
                true,
              ),
            ),
          );
          const outcomes = await Promise.all(writes);
          expect(
            outcomes.filter((o) => o === 'written').length,
          ).toBeGreaterThan(0);
          expect(await two.get(key)).toBe(doc('SUCCESS', key, 'win'));
          expect(await stores[4].set(key, doc('FAILURE', key), 60, true)).toBe(
            'kept-success',
          );
        }
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('refuses keys memcached cannot carry, sending nothing', async () => {
      const key = freshKey();
      for (const bad of [
        '',
        'has space',
        'ctl\u0001',
        'k'.repeat(251),
        'new\nline',
      ]) {
        await expect(one.get(bad)).rejects.toBeInstanceOf(InvalidTaskIdError);
        await expect(one.set(bad, 'v', 60, false)).rejects.toBeInstanceOf(
          InvalidTaskIdError,
        );
      }
      expect(await one.get(key)).toBeNull();
    });

    it('maps the server item size limit to PayloadTooLargeError', async () => {
      const big = await createMemcachedStore(servers(mcs[0]), {
        ...ctx,
      });
      try {
        await expect(
          big.set(freshKey(), 'x'.repeat(2 * 1024 * 1024), 60, true),
        ).rejects.toBeInstanceOf(PayloadTooLargeError);
        await expect(big.ping()).resolves.toBeUndefined();
      } finally {
        await big.close();
      }
    });
  });

  describe('lifecycle', () => {
    it('close is idempotent and later calls fail with BackendUnavailableError', async () => {
      const s = await createMemcachedStore(servers(mcs[0]), ctx);
      await s.ping();
      await s.close();
      await s.close();
      await expect(s.get(freshKey())).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await expect(s.ping()).rejects.toBeInstanceOf(BackendUnavailableError);
    });

    it('describes itself like the Celery URL', () => {
      expect(two.description).toBe(
        `cache+memcached://127.0.0.1:${mcs[1].port};127.0.0.1:${mcs[2].port}/`,
      );
      expect(two.autoExpires).toBe(true);
      expect(two.kind).toBe('memcached');
    });
  });
});
