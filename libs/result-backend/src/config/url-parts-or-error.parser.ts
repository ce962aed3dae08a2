import { urlError } from './config.errors.js';
import type { HostPort } from './host-port.interface.js';
import {
  BadPortError,
  parseHostPort,
  urlToParts,
  type UrlParts,
} from './url-parts.parser.js';

/**
 * kombu's `url_to_parts`, with a bad port or a non-URL turned into a config error showing
 * `example` (and never any of `secrets`).
 * @internal
 */
export function partsOrError(
  url: string,
  ctx: {
    readonly example: string;
    readonly secrets: readonly (string | undefined)[];
  },
): UrlParts {
  try {
    const parts = urlToParts(url);
    if (parts) return parts;
  } catch (err) {
    if (!(err instanceof BadPortError)) throw err;
    throw urlError(
      url,
      'the port must be a number from 1 to 65535',
      ctx.example,
      ctx.secrets,
    );
  }
  throw urlError(url, 'this is not a URL', ctx.example, ctx.secrets);
}

/**
 * One `host[:port]` server of a multi-server URL (memcached servers, Redis Cluster nodes), the
 * port defaulting to `defaultPort`; a bad port or an empty host becomes a config error about
 * `url` with the matching problem text, showing `example` (and never any of `secrets`).
 * @internal
 */
export function serverOrError(
  text: string,
  defaultPort: number,
  ctx: {
    readonly url: string;
    readonly example: string;
    readonly secrets?: readonly (string | undefined)[];
    readonly badPort: string;
    readonly noHost: string;
  },
): HostPort {
  try {
    const { host, port } = parseHostPort(text);
    if (host) return { host, port: port ?? defaultPort };
  } catch (err) {
    if (!(err instanceof BadPortError)) throw err;
    throw urlError(ctx.url, ctx.badPort, ctx.example, ctx.secrets);
  }
  throw urlError(ctx.url, ctx.noHost, ctx.example, ctx.secrets);
}
