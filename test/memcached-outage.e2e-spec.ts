/**
 * The memcached store while a server dies, comes back on the same port, or stops answering:
 * typed errors during the outage, recovery afterwards, no hang and no leaked sockets.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { createMemcachedStore } from '../libs/result-backend/src/stores/memcached/memcached.store.js';
import { pickServerIndex } from '../libs/result-backend/src/stores/memcached/memcached-hash.router.js';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { closesAfterEach } from './support/cleanup.js';
import { eventually } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  rawMemcached,
  startMemcacheds,
  type MemcachedTestServer,
} from './support/memcached-server.js';

const sleep = (ms: number): Promise<void> =>
  new Promise((r) => setTimeout(r, ms));

/** `fn()` once it stops failing with BackendUnavailableError, within `ms` (the machine may be slow). */
async function whenAvailable<T>(fn: () => Promise<T>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof BackendUnavailableError) || Date.now() > end)
        throw err;
      await sleep(100);
    }
  }
}

/** Client connections a server counts, the `stats` connection asking excluded. */
async function clientConnections(port: number): Promise<number> {
  const text = (
    await rawMemcached(port, 'stats\r\n', (r) =>
      r.toString().endsWith('END\r\n'),
    )
  ).toString();
  return Number(/STAT curr_connections (\d+)/.exec(text)?.[1]) - 1;
}

/**
 * Wait until the servers count exactly `expected` client connections. memcached counts a
 * closed connection until it has read the FIN (earlier `stats` connections too), so counts
 * only drain towards the settled state; a leaked connection never drains and fails here.
 */
async function settlesTo(ports: number[], expected: number[]): Promise<void> {
  let last: number[] = [];
  const same = async (): Promise<boolean> => {
    last = await Promise.all(ports.map(clientConnections));
    return last.every((c, i) => c === expected[i]);
  };
  await eventually(same, 15_000).catch(() => undefined);
  expect(last).toEqual(expected);
}

/** Poll `mget` like the watch engine does until `stop()`; records what every poll gave. */
function poller(store: ResultStore, keys: string[]) {
  const outcomes: ('ok' | 'unavailable' | 'other')[] = [];
  const values: (string | null)[][] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      // A poll that never settles would hang this loop and the test (no hang = it ends).
      try {
        values.push(await store.mget(keys));
        outcomes.push('ok');
      } catch (err) {
        outcomes.push(
          err instanceof BackendUnavailableError ? 'unavailable' : 'other',
        );
      }
      await sleep(10);
    }
  })();
  return {
    outcomes,
    values,
    /** Wait until `pred()` holds; after `ms` fail (the loop must not outlive its test). */
    async until(pred: () => boolean, ms = 20_000): Promise<void> {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end)
          throw new Error(`poller: condition not met in ${ms} ms`);
        await sleep(10);
      }
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}

describeWithServer(['memcached'], 'memcached store outages', () => {
  let mcs: MemcachedTestServer[] = [];
  let store: ResultStore;
  const own = closesAfterEach();
  const keys = Array.from(
    { length: 20 },
    () => `celery-task-meta-${randomUUID()}`,
  );

  beforeAll(async () => {
    mcs = await startMemcacheds(2);
    store = await createMemcachedStore(
      {
        kind: 'memcached',
        servers: mcs.map((m) => ({ host: '127.0.0.1', port: m.port })),
      },
      {
        logger: new Logger('mc-outage'),
        pollIntervalMs: 50,
      },
      { timeoutMs: 800, retryDelayMs: 100 },
    );
  });

  afterAll(async () => {
    await store?.close();
    await Promise.all(mcs.map((m) => m.stop()));
  });

  it('fails polls with BackendUnavailableError while a server restarts, then recovers', async () => {
    await Promise.all(keys.map((k) => store.set(k, k, 600, false)));
    const onFirst = keys.filter((k) => pickServerIndex(k, 2) === 0);
    expect(onFirst.length).toBeGreaterThan(0);
    const p = poller(store, keys);
    try {
      await p.until(() => p.outcomes.length >= 3);
      await mcs[0].stop('SIGKILL');
      await p.until(
        () => p.outcomes.filter((o) => o === 'unavailable').length >= 3,
      );
      await expect(store.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await expect(store.set(onFirst[0], 'x', 60, true)).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await mcs[0].restart();
      const before = p.outcomes.length;
      await p.until(() => p.outcomes.slice(before).includes('ok'));
    } finally {
      await p.stop(); // also when an expectation failed: the loop would poll forever
    }

    expect(p.outcomes).not.toContain('other');
    // Server 0 came back empty; server 1 kept its keys.
    expect(p.values.at(-1)).toEqual(
      keys.map((k) => (pickServerIndex(k, 2) === 0 ? null : k)),
    );
    await expect(store.ping()).resolves.toBeUndefined();
    await store.set(onFirst[0], 'again', 60, true);
    expect(await store.get(onFirst[0])).toBe('again');
  });

  it('times out against a server that stops answering, then recovers when it resumes', async () => {
    const key = keys.find((k) => pickServerIndex(k, 2) === 1) as string;
    await store.set(key, 'v1', 600, false);
    await mcs[1].pause();
    try {
      const inFlight = [
        store.get(key),
        store.set(key, 'v2', 600, true),
        store.ping(),
      ];
      for (const r of await Promise.allSettled(inFlight)) {
        expect(
          r.status === 'rejected' &&
            r.reason instanceof BackendUnavailableError,
        ).toBe(true);
      }
    } finally {
      mcs[1].resume();
    }
    // Recovers once the server answers again (retry pause, then a lazy reconnect).
    const value = await whenAvailable(() => store.get(key));
    expect(['v1', 'v2']).toContain(value);
    expect(await store.set(key, 'v3', 600, true)).toBe('written');
    expect(await store.get(key)).toBe('v3');
  });

  it('reopens an idle connection the server dropped without a pause', async () => {
    const patient = own(
      await createMemcachedStore(
        {
          kind: 'memcached',
          servers: [{ host: '127.0.0.1', port: mcs[0].port }],
        },
        {
          logger: new Logger('mc-outage'),
          pollIntervalMs: 50,
        },
        { timeoutMs: 800, retryDelayMs: 60_000 },
      ),
    );
    await patient.ping();
    await mcs[0].restart(); // drops the idle connection
    await sleep(50);
    await expect(patient.ping()).resolves.toBeUndefined();
  });

  it('keeps one connection per server after outages, and none after close', async () => {
    const ports = mcs.map((m) => m.port);
    await store.ping(); // connects to every server again after the outages above
    // Absolute counts, not a baseline: a connection the outages leaked must fail this.
    await settlesTo(ports, [1, 1]);
    const other = own(
      await createMemcachedStore(
        {
          kind: 'memcached',
          servers: mcs.map((m) => ({ host: '127.0.0.1', port: m.port })),
        },
        {
          logger: new Logger('mc-outage'),
          pollIntervalMs: 50,
        },
      ),
    );
    await other.ping();
    await store.ping();
    await settlesTo(ports, [2, 2]);
    await other.close();
    await other.close();
    await store.ping();
    await settlesTo(ports, [1, 1]);
  });
});
