import type { FilesystemBackendConfig } from '../../config/backend-config.interface.js';
import { urlError } from '../../config/config-error.util.js';
import { URL_EXAMPLES } from '../../config/url-examples.constants.js';

/**
 * `file:///abs/dir` → `/abs/dir`, `file://localhost/abs/dir` → `/abs/dir`, `file://rel/dir` →
 * `rel/dir` (relative to the working directory), exactly as Celery's `FilesystemBackend`: the
 * text is taken verbatim (no percent-decoding).
 * @internal
 */
export function parseFileUrl(url: string): FilesystemBackendConfig {
  const rest = url.slice(url.indexOf('://') + 3);
  const path = rest.startsWith('localhost/')
    ? rest.slice('localhost'.length)
    : rest;
  if (path.trim() === '')
    throw urlError(url, 'the directory is missing', URL_EXAMPLES.file);
  return { kind: 'filesystem', path };
}
