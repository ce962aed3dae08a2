export * from './backend-config.interface.js';
export * from './backend-settings.interface.js';
export * from '../options/resolved-options.interface.js';
export { parseBackendUrl } from '../stores/parse-backend-url.util.js';
export { maskUrl } from './mask-url.util.js';
export { describeBackend } from '../stores/describe-backend.util.js';
export {
  resolveModuleOptions,
  type SettingReader,
} from '../options/resolve-module-options.util.js';
export {
  RESULT_BACKEND_SETTINGS,
  RESULT_BACKEND_DEFAULTS,
} from './setting-names.constants.js';
