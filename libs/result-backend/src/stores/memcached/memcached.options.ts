import type { HostPort } from '../../config/host-port.interface.js';

/** `cache+memcached://h1:p1;h2:p2/`, parsed. @publicApi */
export interface MemcachedBackendConfig {
  /** Discriminant. */
  readonly kind: 'memcached';
  /** In Celery's order: the order decides key placement, as in pylibmc. */
  readonly servers: readonly HostPort[];
}

/** Example shown in memcached configuration errors. @internal */
export const MEMCACHED_EXAMPLE =
  'cache+memcached://10.0.0.1:11211;10.0.0.2:11211/';
