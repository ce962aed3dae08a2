import {
  FILESYSTEM_EXAMPLE,
  type FilesystemBackendConfig,
  type FilesystemStoreOptions,
} from './filesystem.options.js';
import { urlError } from '../../config/config.errors.js';

/**
 * `file:///abs/dir` → `/abs/dir`, `file://localhost/abs/dir` → `/abs/dir`, `file://rel/dir` →
 * `rel/dir` (relative to the working directory), exactly as Celery's `FilesystemBackend`: the
 * text is taken verbatim (no percent-decoding).
 * @internal
 */
export function parseFileUrl(
  url: string,
  options?: FilesystemStoreOptions,
): FilesystemBackendConfig {
  const rest = url.slice(url.indexOf('://') + 3);
  const path = rest.startsWith('localhost/')
    ? rest.slice('localhost'.length)
    : rest;
  if (path.trim() === '')
    throw urlError(url, 'the directory is missing', FILESYSTEM_EXAMPLE);
  return { kind: 'filesystem', path, ...(options ? { options } : {}) };
}
