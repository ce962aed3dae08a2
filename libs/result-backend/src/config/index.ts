export * from './backend-config.interface.js';
export * from './backend-settings.interface.js';
export * from './resolved-options.interface.js';
export { parseBackendUrl } from './parse-backend-url.util.js';
export { maskUrl } from './mask-url.util.js';
export { describeBackend } from './describe-backend.util.js';
export {
  resolveModuleOptions,
  type SettingReader,
} from './resolve-module-options.util.js';
export {
  RESULT_BACKEND_SETTINGS,
  RESULT_BACKEND_DEFAULTS,
} from './setting-names.constants.js';
export {
  fromConfigService,
  type ConfigGetter,
} from './from-config-service.util.js';
