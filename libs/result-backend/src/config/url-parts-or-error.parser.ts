import { urlError } from './config.errors.js';
import { BadPortError, urlToParts, type UrlParts } from './url-parts.parser.js';

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
