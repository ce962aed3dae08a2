import { redactDriverError } from '../../errors/driver-error.redactor.js';
import type { OutageReporter } from '../store-context.interface.js';
import type { RedisStatusSource } from './redis-outage.watcher.js';

/** The command connection's part in the backend's outage log. @internal */
export const REDIS_CONNECTION_PART = 'connection';

/**
 * Report a client's connection to the backend's shared outage log as `part`: down on its
 * first error (also while first connecting), up when it is ready again. The log writes one
 * line per outage of the whole backend, none per reconnect attempt.
 * @internal
 */
export function logRedisOutages(
  client: RedisStatusSource,
  outage: OutageReporter,
  part = REDIS_CONNECTION_PART,
): void {
  client.on('error', (err) => outage.down(part, redactDriverError(err)));
  client.on('ready', () => outage.up(part));
}
