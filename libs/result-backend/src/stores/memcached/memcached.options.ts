import type { HostPort } from '../../config/host-port.interface.js';

/**
 * memcached client timing: `ResultBackendModuleOptions.memcached` (no Celery setting: pylibmc's
 * own timeouts live in `cache_backend_options` behaviors, which this client does not read).
 * @publicApi
 */
export interface MemcachedStoreOptions {
  /**
   * Milliseconds a request may wait for its reply (connecting included) before it fails with
   * `BackendUnavailableError` "no reply within N ms"; integer ≥ 1, default 3000.
   */
  readonly timeoutMs?: number;
  /** Milliseconds before a server that failed is tried again; integer ≥ 1, default 1000. */
  readonly retryDelayMs?: number;
}

/**
 * The client timing with the defaults filled in (reply wait 3000 ms, retry a failed server
 * after 1000 ms): what the URL parser puts in the config and the store runs with.
 * @internal
 */
export function memcachedTiming(
  options: MemcachedStoreOptions = {},
): Required<MemcachedStoreOptions> {
  return {
    timeoutMs: options.timeoutMs ?? 3000,
    retryDelayMs: options.retryDelayMs ?? 1000,
  };
}

/** `cache+memcached://h1:p1;h2:p2/`, parsed, plus the client timing (defaulted by the parser). @publicApi */
export interface MemcachedBackendConfig extends MemcachedStoreOptions {
  /** Discriminant. */
  readonly kind: 'memcached';
  /** In Celery's order: the order decides key placement, as in pylibmc. */
  readonly servers: readonly HostPort[];
}

/** Example shown in memcached configuration errors. @internal */
export const MEMCACHED_EXAMPLE =
  'cache+memcached://10.0.0.1:11211;10.0.0.2:11211/';
