/**
 * Sentinel store against a real deployment (master, replica, three sentinels): every contract
 * of the backend table (store, service, faults, bad ids), then two failovers while watches are pending: a `SENTINEL FAILOVER` (old master
 * demoted, its clients killed by the sentinels) and a crash of the master (SIGKILL, then the
 * sentinels elect the replica). After each one, both connections are on the new master, every
 * result stored after the failover (through the service, or by a plain client on the new
 * master as a Celery worker would) reaches its watcher, writes resume, and `ping()` reports
 * the outage and the recovery.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../libs/result-backend/src/index.js';
import {
  describeBackend,
  describeSpecifics,
} from '../support/describe-backend.js';
import { eventually } from '../support/redis-server.js';
import { encodeTaskMeta } from 'nestjs-celery-result-backend/codec';

const N = 200;

/** Names of our connections on a server (`celery-result-backend`, `…-sub`). */
async function ourConnections(port: number): Promise<string[]> {
  const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  try {
    const list = String(await c.client('LIST'));
    return list
      .split('\n')
      .map((l) => /name=(\S*)/.exec(l)?.[1] ?? '')
      .filter((n) => n.startsWith('celery-result-backend'))
      .sort();
  } finally {
    c.disconnect();
  }
}

/** What a Celery worker stores: SETEX + PUBLISH from a plain client on the master. */
async function storeAsWorker(
  port: number,
  ids: readonly string[],
): Promise<void> {
  const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  try {
    const multi = c.multi();
    for (const id of ids) {
      const text = encodeTaskMeta({
        taskId: id,
        status: 'SUCCESS',
        result: `worker:${id}`,
        traceback: null,
        children: [],
      });
      multi
        .setex(`celery-task-meta-${id}`, 3600, text)
        .publish(`celery-task-meta-${id}`, text);
    }
    await multi.exec();
  } finally {
    c.disconnect();
  }
}

/** `WAIT 1 5000` on the master: resolves once one replica acknowledged every write so far. */
async function replicated(masterPort: number): Promise<void> {
  const c = new Redis({
    host: '127.0.0.1',
    port: masterPort,
    maxRetriesPerRequest: 1,
  });
  try {
    expect(await c.call('WAIT', '1', '5000')).toBe(1);
  } finally {
    c.disconnect();
  }
}

/**
 * Call `ping` every 20 ms without waiting for earlier calls (a PING sent just before the
 * crash is resent after the reconnect and succeeds) until one rejects; resolves with that
 * error, rejects after `ms`.
 */
function observeOutage(ping: () => Promise<void>, ms = 8000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let done = false;
    const timer = setInterval(() => {
      if (Date.now() - started > ms) {
        done = true;
        clearInterval(timer);
        reject(new Error(`ping never rejected within ${ms} ms`));
        return;
      }
      ping().catch((err: unknown) => {
        if (done) return;
        done = true;
        clearInterval(timer);
        resolve(err);
      });
    }, 20);
  });
}

describeBackend('sentinel', (backend) =>
  describeSpecifics(
    'sentinel specifics (master, replica, 3 sentinels)',
    backend,
    ({ server: sentinels, service: svc, logger }) => {
      it('is a sentinel store whose description names the sentinels and the master', () => {
        expect(svc().kind).toBe('sentinel');
        for (const port of sentinels().sentinelPorts)
          expect(svc().description).toContain(`127.0.0.1:${port}`);
        expect(svc().description).toContain('master_name=mymaster');
      });

      /**
       * Watch N tasks, complete the first quarter before `failover`, run it, then complete the
       * rest: half through the service, half by a plain client on the new master.
       */
      async function watchThrough(
        failover: (oldMaster: number) => Promise<void>,
      ): Promise<number> {
        const oldMaster = await sentinels().masterPort();
        // After a SENTINEL FAILOVER the sentinels turn the demoted master into a replica only
        // on their next INFO round (up to ~10 s).
        await sentinels().waitForReplica(oldMaster);
        const ids = Array.from({ length: N }, () => randomUUID());
        const waits = ids.map((id) =>
          svc().waitFor<string>(id, { timeout: 30000 }),
        );
        const before = ids.slice(0, N / 4);
        await Promise.all(
          before.map((id) => svc().markAsDone(id, `svc:${id}`)),
        );
        await Promise.all(waits.slice(0, N / 4));
        await eventually(() => svc().watching === N - N / 4); // released once settled
        // Replication is asynchronous: make sure the replica has everything before the switch
        // (a write acknowledged by a master that dies before replicating it is lost, in
        // Celery too).
        await replicated(oldMaster);

        await failover(oldMaster);
        const newMaster = await sentinels().waitForNewMaster(oldMaster);

        const viaService = ids.slice(N / 4, (N * 5) / 8);
        const viaWorker = ids.slice((N * 5) / 8);
        await Promise.all(
          viaService.map((id) => svc().markAsDone(id, `svc:${id}`)),
        );
        await storeAsWorker(newMaster, viaWorker);
        const results = await Promise.all(waits);
        expect(results).toEqual(
          ids.map((id) =>
            viaWorker.includes(id) ? `worker:${id}` : `svc:${id}`,
          ),
        );
        await eventually(() => svc().watching === 0);
        // Every connection of ours moved to the new master; none is left on the old one.
        await eventually(async () => {
          const names = await ourConnections(newMaster);
          return (
            names.includes('celery-result-backend') &&
            names.includes('celery-result-backend-sub')
          );
        }, 10000);
        if (
          sentinels().node(oldMaster).process.exitCode === null &&
          sentinels().node(oldMaster).process.signalCode === null
        )
          await eventually(
            async () => (await ourConnections(oldMaster)).length === 0,
            10000,
          );
        const late = randomUUID();
        expect(await svc().markAsDone(late, 'late')).toBe('written');
        expect(await svc().getResult(late)).toBe('late');
        await expect(svc().ping()).resolves.toBeUndefined();
        return newMaster;
      }

      it('SENTINEL FAILOVER: pending watches get results stored after it; writes resume on the new master', async () => {
        await watchThrough(() => sentinels().failover());
        expect(logger.lines.join('\n')).toContain('master switched to');
      }, 30000);

      it('master crash: ping rejects during the outage, then watches, writes and ping recover on the elected replica', async () => {
        await watchThrough(async (oldMaster) => {
          await expect(svc().ping()).resolves.toBeUndefined();
          const outage = observeOutage(() => svc().ping());
          await sentinels().stopNode(oldMaster, 'SIGKILL');
          const err = await outage;
          expect(err).toBeInstanceOf(BackendUnavailableError);
          expect((err as Error).message).toContain('master_name=mymaster');
        });
      }, 45000);
    },
  ),
);
