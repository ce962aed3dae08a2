/**
 * memcached with large values (issue 17 §8): a 50 MB read is not cut by the reply timeout
 * (the timeout is a silence timeout: streaming bytes restart it), and a request queued behind
 * the slow reply on the same connection is answered, not failed.
 */
import { randomUUID } from 'node:crypto';
import { createMemcachedStore } from '../libs/result-backend/src/stores/memcached/memcached.store.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import {
  startMemcached,
  type MemcachedTestServer,
} from './support/memcached-server.js';
import { describeWithServer } from './support/skip-gate.js';

const quiet = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

describeWithServer(['memcached'], 'memcached large values', () => {
  let mc: MemcachedTestServer;
  let store: ResultStore;
  beforeAll(async () => {
    mc = await startMemcached(['-I', '64m', '-m', '256']);
    store = await createMemcachedStore(
      {
        kind: 'memcached',
        servers: [{ host: '127.0.0.1', port: mc.port }],
        // This spec is about size, not timeouts (memcached-timeout covers those): a generous
        // reply wait so a loaded machine cannot fail the 50 MB set (default 3000 ms).
        timeoutMs: 60_000,
      },
      { logger: quiet, pollIntervalMs: 100 },
    );
  });
  afterAll(async () => {
    await store?.close();
    await mc?.stop();
  });

  it('reads a 50 MB value whole, and a small read queued behind it succeeds', async () => {
    const big = `celery-task-meta-${randomUUID()}`;
    const small = `celery-task-meta-${randomUUID()}`;
    const value = `"${'x'.repeat(50 * 1024 * 1024)}"`;
    await expect(store.set(big, value, null, false)).resolves.toBe('written');
    await store.set(small, '"small"', null, false);
    const [bigBack, smallBack] = await Promise.all([
      store.get(big),
      store.get(small),
    ]);
    expect(bigBack?.length).toBe(value.length);
    expect(bigBack === value).toBe(true);
    expect(smallBack).toBe('"small"');
    await expect(store.mget([small, big])).resolves.toHaveLength(2);
  }, 60_000);
});
