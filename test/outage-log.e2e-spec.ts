/**
 * One outage, one start line, one end line (issue 17 §5), per backend instance, whatever the
 * number of its parts: a real server is killed while watches are pending and restarted; every
 * part that goes down (command connection, subscriber, changes feed, LISTEN client, the watch
 * engine's reads) reports to the instance's one outage log. Between the kill and the recovery
 * the backend writes exactly one WARN (masked description, first cause) and one LOG (with the
 * duration); per-part detail is debug only. The pending watches are delivered after recovery.
 */
import { startMemcached } from './support/memcached-server.js';
import { startRedis } from './support/redis-server.js';
import { closesAfterEach } from './support/cleanup.js';
import { outageLogsOnce } from './support/outage-log-case.js';
import { describeWithServer } from './support/skip-gate.js';

const own = closesAfterEach();

describeWithServer(['redis-server'], 'outage log: redis://', () => {
  it('logs one line when the outage starts and one when it ends (connection, subscriber, reads)', async () => {
    const redis = await startRedis();
    try {
      await outageLogsOnce(
        own,
        {
          url: `${redis.url}?socket_connect_timeout=1`,
          kill: () => redis.stop('SIGKILL'),
          restart: () => redis.restart(),
          stop: () => redis.stop(),
        },
        ['connection', 'subscriber', 'watch reads'],
      );
    } finally {
      await redis.stop();
    }
  }, 60_000);
});

describeWithServer(['memcached'], 'outage log: memcached', () => {
  it('logs one line when the outage starts and one when it ends', async () => {
    const mc = await startMemcached();
    try {
      await outageLogsOnce(
        own,
        {
          url: `cache+memcached://${mc.address}/`,
          kill: () => mc.stop(),
          restart: () => mc.restart(),
          stop: () => mc.stop(),
        },
        ['watch reads'],
      );
    } finally {
      await mc.stop();
    }
  }, 60_000);
});
