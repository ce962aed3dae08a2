import type { BackendDefinition } from '../backend-definition.interface.js';
import { parseFileUrl } from './file-url.parser.js';
import {
  FILESYSTEM_EXAMPLE,
  type FilesystemBackendConfig,
} from './filesystem.options.js';

/** `file:///abs/dir`, tuned by `ResultBackendModuleOptions.filesystem`. @internal */
export const filesystemBackend: BackendDefinition<FilesystemBackendConfig> = {
  kind: 'filesystem',
  schemes: ['file'],
  example: FILESYSTEM_EXAMPLE,
  parseUrl: (url, settings) => parseFileUrl(url, settings.filesystem),
  describe: (config) => `file://${config.path}`,
  create: async (config, ctx) =>
    (await import('./filesystem.store.js')).createFilesystemStore(
      config,
      ctx,
      config.options,
    ),
};
