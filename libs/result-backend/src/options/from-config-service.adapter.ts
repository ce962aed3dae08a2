import type { ResultBackendModuleOptions } from './result-backend-options.interface.js';

/** The one method of `@nestjs/config`'s `ConfigService` that {@link fromConfigService} uses. @publicApi */
export interface ConfigGetter {
  /** The value of a setting, `undefined` when unset. */
  get(name: string): unknown;
}

/**
 * Module options that read the Celery settings (`CELERY_RESULT_BACKEND`,
 * `CELERY_RESULT_EXPIRES`, … — see `RESULT_BACKEND_SETTINGS`) from `@nestjs/config`'s
 * `ConfigService` (its `load:` factories, `.env` files and `process.env`), then from
 * `process.env`. Explicit `options` win over settings. The dependency on `ConfigService` is
 * declared by `inject`, so it behaves the same in Nest 11 and 12, global or not.
 * @example
 * ResultBackendModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => fromConfigService(config),
 * })
 * @publicApi
 */
export function fromConfigService(
  config: ConfigGetter,
  options: ResultBackendModuleOptions = {},
): ResultBackendModuleOptions {
  return {
    ...options,
    settings: (name) => config.get(name) ?? process.env[name],
  };
}
