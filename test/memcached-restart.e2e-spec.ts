/**
 * memcached restarts its CAS counter at 1, so a CAS token cached before a restart can match a
 * new item after it (issue 17 §3): "SUCCESS is final" must hold across a server restart.
 */
import { randomUUID } from 'node:crypto';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
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

describeWithServer(
  ['memcached'],
  'memcached restart keeps SUCCESS final',
  () => {
    let mc: MemcachedTestServer;
    let a: ResultBackendService;
    let b: ResultBackendService;
    beforeEach(async () => {
      // A fresh server per case, so CAS counters start at 1 as after a restart.
      mc = await startMemcached();
      const url = `cache+memcached://${mc.address}/`;
      // This spec is about CAS across a restart, not timeouts: a generous reply wait so
      // 600 sequential requests on a loaded machine cannot hit the 3000 ms default.
      const memcached = { timeoutMs: 60_000 };
      a = await createResultBackend({ url, memcached }, { logger: quiet });
      b = await createResultBackend({ url, memcached }, { logger: quiet });
    });
    afterEach(async () => {
      await a?.close();
      await b?.close();
      await mc?.stop();
    });

    /** A writes STARTED for `ids`; restart; B writes SUCCESS; A writes FAILURE (must be kept). */
    async function race(ids: readonly string[]): Promise<string[]> {
      for (const id of ids) await a.markAsStarted(id);
      await mc.restart();
      for (const id of ids) await b.markAsDone(id, 'from B');
      const outcomes: string[] = [];
      for (const id of ids)
        outcomes.push(await a.markAsFailure(id, new Error('late')));
      return outcomes;
    }

    it('one key: the late FAILURE is refused and SUCCESS stays', async () => {
      const id = randomUUID();
      await expect(race([id])).resolves.toEqual(['kept-success']);
      await expect(b.reloadTaskResult(id)).resolves.toMatchObject({
        status: 'SUCCESS',
        result: 'from B',
      });
    });

    it('200 keys in the same order: every SUCCESS stays', async () => {
      const ids = Array.from({ length: 200 }, () => randomUUID());
      const outcomes = await race(ids);
      expect(outcomes.filter((o) => o === 'kept-success')).toHaveLength(200);
      const metas = await b.getMany(ids);
      expect([...metas.values()].map((m) => m.status)).toEqual(
        ids.map(() => 'SUCCESS'),
      );
    });
  },
);
