import type { HostPort } from '../../config/host-port.interface.js';
import {
  MEMCACHED_EXAMPLE,
  type MemcachedBackendConfig,
} from './memcached.options.js';
import { urlError } from '../../config/config.errors.js';
import { serverOrError } from '../../config/url-parts-or-error.parser.js';
import { hostPort } from '../../config/url-parts.describer.js';

/** Default memcached port. @internal */
export const MEMCACHED_DEFAULT_PORT = 11211;

const MEMCACHED_CLIENTS = ['memcached', 'memcache', 'pylibmc'];

/**
 * `cache+memcached://h1:p1;h2:p2/` (also `cache+memcache://`, `cache+pylibmc://`), as Celery's
 * `CacheBackend`: the servers are the text after `://`, a trailing `/` stripped, split on `;`,
 * order kept.
 * @internal
 */
export function parseCacheUrl(url: string): MemcachedBackendConfig {
  const sep = url.indexOf('://');
  const client = url
    .slice(0, sep)
    .toLowerCase()
    .replace(/^cache\+/, '');
  if (!MEMCACHED_CLIENTS.includes(client)) {
    throw urlError(
      url,
      `unknown cache client "${client}"; use memcached or memory`,
      MEMCACHED_EXAMPLE,
    );
  }
  const rest = url.slice(sep + 3).replace(/\/+$/, '');
  if (/[@?#/]/.test(rest)) {
    throw urlError(
      url,
      'list memcached servers as host:port separated by ";" (no credentials, path or query)',
      MEMCACHED_EXAMPLE,
    );
  }
  const servers = rest
    .split(';')
    .map((server) => parseServer(server.trim(), url));
  return { kind: 'memcached', servers };
}

function parseServer(text: string, url: string): HostPort {
  return serverOrError(text, MEMCACHED_DEFAULT_PORT, {
    url,
    example: MEMCACHED_EXAMPLE,
    badPort: 'a memcached port must be a number from 1 to 65535',
    noHost: 'a memcached server is missing (host:port, ";"-separated)',
  });
}

/** `cache+memcached://h1:p1;h2:p2/`, IPv6 hosts bracketed. @internal */
export function describeMemcached(config: MemcachedBackendConfig): string {
  return `cache+memcached://${config.servers.map(hostPort).join(';')}/`;
}
