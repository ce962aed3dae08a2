import type { Cluster, Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { pingWithin } from './redis.probe.js';

/** One master line of `CLUSTER NODES` that owns slots. @internal */
export interface ClusterMasterLine {
  readonly address: string;
  readonly flags: readonly string[];
  readonly linkState: string;
}

/**
 * Masters that own slots, from `CLUSTER NODES` text
 * (`<id> <ip:port@cport[,host]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`).
 * @internal
 */
export function slotOwningMasters(nodesText: string): ClusterMasterLine[] {
  return nodesText
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((f) => f.length >= 9 && f[2].split(',').includes('master'))
    .map((f) => ({
      address: f[1].split('@')[0],
      flags: f[2].split(','),
      linkState: f[7],
    }));
}

/** PING one pool connection within `timeoutMs` (a lazy one connects on it). */
async function pingNode(
  node: Redis,
  timeoutMs: number,
  fail: (why: string) => Error,
): Promise<void> {
  if (node.status !== 'ready' && node.status !== 'wait')
    throw fail(
      `connection to ${node.options.host}:${node.options.port} is ${node.status}`,
    );
  const address = `${node.options.host}:${node.options.port}`;
  await pingWithin(node, timeoutMs, (why, timedOut) => {
    throw fail(
      timedOut
        ? `no PONG from ${address} within ${timeoutMs} ms`
        : `${address}: ${why}`,
    );
  });
}

/**
 * Health of a cluster through the client's own node connections (none is opened besides the
 * pool's lazy ones): the client is ready; one master's `CLUSTER INFO` says `cluster_state:ok`
 * with every assigned slot served; its `CLUSTER NODES` shows no slot-owning master flagged
 * `fail`/`fail?` or with its link down; and each slot-owning master answers PING on the
 * client's connection. Rejects with BackendUnavailableError naming what is wrong.
 * @internal
 */
export async function checkClusterHealth(
  cluster: Cluster,
  description: string,
  timeoutMs: number,
): Promise<void> {
  const fail = (why: string): BackendUnavailableError =>
    new BackendUnavailableError(description, why);
  if (cluster.status !== 'ready')
    throw fail(`cluster client is ${cluster.status}`);
  const pool = new Map<string, Redis>(
    cluster
      .nodes('master')
      .map((n) => [`${n.options.host}:${n.options.port}`, n] as const),
  );
  const probe =
    [...pool.values()].find((n) => n.status === 'ready') ??
    [...pool.values()][0];
  if (!probe) throw fail('no master node known');
  let info: string;
  let nodes: string;
  let timer: NodeJS.Timeout | undefined;
  try {
    [info, nodes] = await Promise.race([
      Promise.all([probe.cluster('INFO'), probe.cluster('NODES')]).then(
        ([i, n]) => [String(i), String(n)] as const,
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(fail(`no CLUSTER INFO within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof BackendUnavailableError) throw err;
    throw fail((err as Error).message);
  } finally {
    clearTimeout(timer);
  }
  const field = (name: string): string =>
    new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? '';
  if (
    field('cluster_state') !== 'ok' ||
    field('cluster_slots_ok') !== field('cluster_slots_assigned')
  )
    throw fail(
      `cluster_state:${field('cluster_state')}, ${field('cluster_slots_ok')}/${field('cluster_slots_assigned')} slots served`,
    );
  const masters = slotOwningMasters(nodes);
  for (const m of masters) {
    if (
      m.flags.includes('fail') ||
      m.flags.includes('fail?') ||
      m.linkState !== 'connected'
    )
      throw fail(
        `master ${m.address} is ${m.flags.join(',')} (link ${m.linkState})`,
      );
  }
  await Promise.all(
    masters.map((m) => {
      const node = pool.get(m.address);
      if (!node) {
        cluster.refreshSlotsCache(); // a node back from the dead: the next ping finds it
        throw fail(`master ${m.address} is not connected`);
      }
      return pingNode(node, timeoutMs, fail);
    }),
  );
}
