/**
 * Sentinel and Redis Cluster outages: one outage, one start line, one end line (issue 17 §5),
 * per backend instance, whatever the number of its parts. Sentinel: the master is killed
 * (SIGKILL) while watches are pending, the sentinels elect the replica, and both connections
 * (command, subscriber) go down and come back on the new master. Cluster (three masters, full
 * coverage required, the default): the node the subscriber listens on is killed, the cluster
 * fails (every read rejects), the node is restarted and the cluster is ok again. Between the
 * kill and the recovery the backend writes exactly one WARN (masked description, first cause)
 * and one LOG (with the duration); the pending watches are delivered after recovery.
 */
import type { Redis } from 'ioredis';
import type { ResultBackendService } from '../libs/result-backend/src/index.js';
import { closesAfterEach } from './support/cleanup.js';
import { outageLogsOnce } from './support/outage-log-case.js';
import {
  startCluster,
  type TestCluster,
} from './support/redis-cluster-server.js';
import {
  startSentinels,
  type TestSentinels,
} from './support/redis-sentinel-server.js';
import { startAll } from './support/server-process.js';
import { describeWithServer } from './support/skip-gate.js';

const own = closesAfterEach();

/** Port of the cluster node the backend's pub/sub connection listens on. */
function subscriberPort(
  svc: ResultBackendService,
  cluster: TestCluster,
): number {
  const sub = (svc.store.push as unknown as { client: Redis | null }).client;
  const port = sub?.stream?.remotePort;
  if (port === undefined || !cluster.ports.includes(port))
    throw new Error(`subscriber not on a cluster node (${String(port)})`);
  return port;
}

describeWithServer(
  ['redis-server', 'redis-cli'],
  'outage log: sentinel:// and redis+cluster://',
  () => {
    let sentinels: TestSentinels | undefined;
    let cluster: TestCluster | undefined;

    beforeAll(async () => {
      const stopAny = (s: { stop(): Promise<void> }): Promise<void> => s.stop();
      const [s, c] = await startAll<TestSentinels | TestCluster>(
        [startSentinels(), startCluster()],
        stopAny,
      );
      sentinels = s as TestSentinels;
      cluster = c as TestCluster;
    }, 40_000);

    afterAll(async () => {
      await Promise.allSettled([sentinels?.stop(), cluster?.stop()]);
    });

    it('sentinel, master killed: one line when the outage starts, one when the replica took over', async () => {
      const s = sentinels!;
      const oldMaster = await s.masterPort();
      await outageLogsOnce(
        own,
        {
          url: `${s.url}&socket_connect_timeout=1`,
          kill: () => s.stopNode(oldMaster, 'SIGKILL'),
          restart: async () => void (await s.waitForNewMaster(oldMaster)),
          stop: () => s.stop(),
        },
        ['connection', 'subscriber'],
        ['watch reads'], // only when the failover outlasts a read's wait
      );
    }, 30_000);

    it("cluster, the subscriber's node killed: one line when the outage starts, one when the cluster is ok again", async () => {
      const c = cluster!;
      let victim = 0;
      await outageLogsOnce(
        own,
        {
          url: `${c.url}?socket_connect_timeout=1`,
          kill: async (svc) => {
            victim = subscriberPort(svc, c);
            await c.stopNode(victim, 'SIGKILL');
          },
          restart: async () => {
            await c.restartNode(victim);
            await c.waitForState('ok');
          },
          stop: () => c.stop(),
        },
        ['watch reads'], // the cluster fails: every read rejects
        // the subscriber may move to a live node at once; the cluster client errors on refreshes
        ['subscriber', 'connection'],
      );
    }, 30_000);
  },
);
