/**
 * Redis Cluster store against three real masters: every contract of the backend table (store,
 * service, faults, bad ids; `redis+cluster://` URL), then watches spread over every master with results stored
 * through the service and by plain single-node clients (as a worker on the right node would),
 * chords with Celery's cross-slot keys and with a hash-tagged prefix, and the behaviour when a
 * master dies (cluster-require-full-coverage no, then yes): typed errors for what cannot be
 * served, the rest keeps working, the subscriber moves to a live node, and everything recovers
 * when the node comes back.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  BackendUnavailableError,
  createResultBackend,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import { eventually, withRedisNode } from '../support/redis-server.js';
import type { TestCluster } from '../support/redis-cluster-server.js';
import {
  describeBackend,
  describeSpecifics,
} from '../support/describe-backend.js';
import { encodeTaskMeta } from 'nestjs-celery-result-backend/codec';

const taskKey = (id: string): string => `celery-task-meta-${id}`;

/** SETEX + PUBLISH on the node serving each key, as a Celery worker on that node would. */
async function storeAsWorker(
  cluster: TestCluster,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) {
    const text = encodeTaskMeta({
      taskId: id,
      status: 'SUCCESS',
      result: `worker:${id}`,
      traceback: null,
      children: [],
    });
    await withRedisNode(await cluster.masterOf(taskKey(id)), async (c) => {
      await c
        .multi()
        .setex(taskKey(id), 3600, text)
        .publish(taskKey(id), text)
        .exec();
    });
  }
}

/** Ids whose keys live on `port` (or anywhere but `port` when `not`). */
async function idsOn(
  cluster: TestCluster,
  port: number,
  count: number,
  not = false,
): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) {
    const id = randomUUID();
    if (((await cluster.masterOf(taskKey(id))) === port) !== not) out.push(id);
  }
  return out;
}

/** Poll `ping()` until it resolves; on timeout, fail with its last error. */
async function pingRecovers(
  svc: ResultBackendService,
  ms = 15000,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await svc.ping();
      return;
    } catch (err) {
      if (Date.now() > end)
        throw new Error(`ping still fails after ${ms} ms: ${String(err)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeBackend('redis-cluster', (backend) =>
  describeSpecifics(
    'redis cluster specifics (3 masters)',
    backend,
    ({ server: cluster, service: svc, logger }) => {
      it('is a redis-cluster store described by its seed nodes', () => {
        expect(svc().kind).toBe('redis-cluster');
        expect(svc().description).toBe(cluster().url);
      });

      it('delivers results to watches on every master, stored through the service and by single-node clients', async () => {
        const ids = Array.from({ length: 300 }, () => randomUUID());
        const owners = new Set(
          await Promise.all(ids.map((id) => cluster().masterOf(taskKey(id)))),
        );
        expect([...owners].sort()).toEqual([...cluster().ports].sort());
        const waits = ids.map((id) =>
          svc().waitFor<string>(id, { timeout: 20000 }),
        );
        const viaService = ids.filter((_, i) => i % 3 === 0);
        const viaWorker = ids.filter((_, i) => i % 3 !== 0);
        await eventually(() => svc().watching === ids.length, 5000);
        await Promise.all(
          viaService.map((id) => svc().markAsDone(id, `svc:${id}`)),
        );
        await storeAsWorker(cluster(), viaWorker);
        expect(await Promise.all(waits)).toEqual(
          ids.map((id, i) => (i % 3 === 0 ? `svc:${id}` : `worker:${id}`)),
        );
        // and a batched read across all slots
        const metas = await svc().getMany(ids);
        expect([...metas.values()].every((m) => m.status === 'SUCCESS')).toBe(
          true,
        );
      }, 30000);

      it("completes chords with Celery's cross-slot keys and with a hash-tagged prefix (one slot)", async () => {
        const tagged = await createResultBackend(
          { url: cluster().url, keyPrefix: '{app}' },
          { logger, read: () => undefined },
        );
        try {
          for (const backend of [svc(), tagged]) {
            const gid = randomUUID();
            const parts = Array.from({ length: 5 }, () => randomUUID());
            await backend.applyChord(gid, parts);
            const done = await Promise.all(
              parts.map((id, index) =>
                backend.onChordPartReturn(gid, id, 'SUCCESS', index * 10, {
                  index,
                  size: parts.length,
                }),
              ),
            );
            const complete = done.filter((d) => d.complete);
            expect(complete).toHaveLength(1);
            expect(complete[0].results).toEqual([0, 10, 20, 30, 40]);
          }
          const raw = new Redis.Cluster([
            { host: '127.0.0.1', port: cluster().ports[0] },
          ]);
          try {
            expect(await raw.keys('{app}*')).toEqual([]); // the tagged chord cleaned its keys up
          } finally {
            raw.disconnect();
          }
        } finally {
          await tagged.close();
        }
      }, 20000);

      it('a dead master (full coverage off): its slots reject with a typed error, the rest works, the subscriber moves, all recovers', async () => {
        await cluster().setFullCoverage(false);
        const sub = (svc().store.push as unknown as { client: Redis | null })
          .client;
        const victim = sub?.stream?.remotePort ?? cluster().ports[0];
        expect(cluster().ports).toContain(victim);
        const [onVictim, elsewhere] = await Promise.all([
          idsOn(cluster(), victim, 5),
          idsOn(cluster(), victim, 20, true),
        ]);
        const waits = [...onVictim, ...elsewhere].map((id) =>
          svc().waitFor<string>(id, { timeout: 25000 }),
        );
        await eventually(() => svc().watching === 25, 5000);

        await cluster().stopNode(victim);
        await expect(svc().markAsDone(onVictim[0], 'x')).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );
        await expect(svc().ping()).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );
        await Promise.all(
          elsewhere.map((id) => svc().markAsDone(id, `svc:${id}`)),
        );
        expect(await Promise.all(waits.slice(5))).toEqual(
          elsewhere.map((id) => `svc:${id}`),
        );
        // the subscriber moved to a live node (results may have come by a resync read first)
        await eventually(() => sub?.stream?.remotePort !== victim, 10000);

        await cluster().restartNode(victim);
        await cluster().waitForState('ok');
        await pingRecovers(svc());
        await Promise.all(
          onVictim.map((id) => svc().markAsDone(id, `svc:${id}`)),
        );
        expect(await Promise.all(waits.slice(0, 5))).toEqual(
          onVictim.map((id) => `svc:${id}`),
        );
      }, 45000);

      it('a dead master (full coverage on, the default): the cluster fails, every command rejects with a typed error, then recovers', async () => {
        await cluster().setFullCoverage(true);
        const victim = cluster().ports[2];
        const [other] = await idsOn(cluster(), victim, 1, true);
        const pending = svc().waitFor<string>(other, { timeout: 25000 });
        await cluster().stopNode(victim);
        await cluster().waitForState('fail');
        await expect(svc().markAsDone(other, 'x')).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );
        await expect(svc().getTaskMeta(randomUUID())).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );
        await expect(svc().ping()).rejects.toBeInstanceOf(
          BackendUnavailableError,
        );

        await cluster().restartNode(victim);
        await cluster().waitForState('ok');
        await pingRecovers(svc());
        await svc().markAsDone(other, 'after');
        expect(await pending).toBe('after');
      }, 45000);
    },
  ),
);
