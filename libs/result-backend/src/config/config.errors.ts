import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';
import { maskUrl } from './mask-url.util.js';

/** The setting that names the backend URL (Celery's `result_backend`). @internal */
export const URL_SETTING = 'CELERY_RESULT_BACKEND';

/** Secrets shorter than this are not scrubbed from messages (they would mangle the text). */
const MIN_SCRUB_LENGTH = 4;

/**
 * Remove every listed secret (and its percent-encoded form) from a text: a second line of
 * defence behind {@link maskUrl}.
 * @internal
 */
export function scrubSecrets(
  text: string,
  secrets: readonly (string | undefined)[],
): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SCRUB_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/**
 * An error about the backend URL: names `CELERY_RESULT_BACKEND`, echoes the URL with its
 * passwords masked, shows a valid example.
 * @internal
 */
export function urlError(
  url: string,
  problem: string,
  example: string,
  secrets: readonly (string | undefined)[] = [],
): ImproperlyConfiguredError {
  const shown = scrubSecrets(maskUrl(url), secrets);
  return new ImproperlyConfiguredError(
    URL_SETTING,
    `${problem} in "${shown}"`,
    example,
  );
}

/**
 * An error about one non-URL setting (callers never put the value of a secret in `problem`).
 * @internal
 */
export function settingError(
  setting: string,
  problem: string,
  example: string,
): ImproperlyConfiguredError {
  return new ImproperlyConfiguredError(setting, problem, example);
}
