import type { HostPort } from '../../config/host-port.interface.js';
import { createConnection } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { AbstractConnector, RedisOptions } from 'ioredis';

/** ioredis' connector base class (the runtime value, from the lazily loaded module). @internal */
export type ConnectorBase = typeof AbstractConnector;
/** What a connector's `connect()` resolves with. */
type ConnectorStream = Awaited<ReturnType<AbstractConnector['connect']>>;

/**
 * An ioredis connector for the cluster store's one pub/sub connection: each (re)connect goes
 * to the next node of the cluster (the nodes the command client currently knows, then the
 * seed nodes), so when the node it listens on dies, the subscriber moves to a live one on its
 * own. Classic `PUBLISH` in Redis Cluster is relayed to every node over the cluster bus, so
 * any node carries every result message, masters and replicas alike.
 * @internal
 */
export function rotatingNodeConnector(
  Base: ConnectorBase,
  candidates: () => readonly HostPort[],
  tls?: ConnectionOptions,
): NonNullable<RedisOptions['Connector']> {
  let next = 0;
  return class RotatingNodeConnector extends Base {
    constructor(options: unknown) {
      super(
        (options as { disconnectTimeout?: number }).disconnectTimeout ?? 2000,
      );
    }

    connect(): Promise<ConnectorStream> {
      const nodes = candidates();
      const node = nodes[next++ % nodes.length];
      this.connecting = true;
      return new Promise((resolve, reject) => {
        process.nextTick(() => {
          if (!this.connecting) {
            reject(new Error('Connection is closed.'));
            return;
          }
          try {
            this.stream = tls
              ? tlsConnect({ ...tls, host: node.host, port: node.port })
              : createConnection({ host: node.host, port: node.port });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          this.stream.once('error', (err: Error) => {
            this.firstError = err;
          });
          resolve(this.stream);
        });
      });
    }
  };
}

/** Unique `host:port` entries, first occurrence kept. @internal */
export function uniqueNodes(nodes: readonly HostPort[]): HostPort[] {
  const seen = new Set<string>();
  return nodes.filter(({ host, port }) => {
    const id = `${host}:${port}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
