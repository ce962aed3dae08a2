import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ImproperlyConfiguredError } from './errors/improperly-configured.error.js';
import type { ResultBackendModuleOptions } from './interfaces/result-backend-options.interface.js';
import { DEFAULT_RESULT_BACKEND_NAME } from './result-backend.constants.js';
import { createResultBackend } from './result-backend.factory.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  RESULT_BACKEND_MODULE_OPTIONS,
} from './result-backend.module-definition.js';
import type { ResultBackendService } from './result-backend.service.js';
import { getResultBackendToken } from './utils/get-result-backend-token.util.js';

const namesByApp = new WeakMap<ModulesContainer, Set<string>>();

/**
 * Provides a `ResultBackendService` for a Celery result backend URL.
 *
 * Configuration: explicit options, else the Celery settings (`CELERY_RESULT_BACKEND`,
 * `CELERY_RESULT_EXPIRES`, …) from the `settings` option, else from `process.env`. Nothing is
 * looked up implicitly: to read `@nestjs/config`, inject `ConfigService` in `forRootAsync`.
 * @example
 * ResultBackendModule.forRoot({ url: 'redis://localhost:6379/0' })
 * ResultBackendModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => fromConfigService(config) })
 * @publicApi
 */
@Module({})
export class ResultBackendModule extends ConfigurableModuleClass {
  /** Register an instance with options (all optional: settings may come from `process.env`). */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return withInstance(super.forRoot(options), options.name);
  }

  /** Register an instance whose options come from a factory, class or existing provider. */
  static override forRootAsync(
    options: typeof ASYNC_OPTIONS_TYPE,
  ): DynamicModule {
    return withInstance(super.forRootAsync(options), options.name);
  }
}

function withInstance(definition: DynamicModule, name?: string): DynamicModule {
  const token = getResultBackendToken(name);
  const provider: Provider = {
    provide: token,
    inject: [RESULT_BACKEND_MODULE_OPTIONS, ModulesContainer],
    useFactory: async (
      options: ResultBackendModuleOptions,
      container: ModulesContainer,
    ): Promise<ResultBackendService> => {
      const instance = name ?? DEFAULT_RESULT_BACKEND_NAME;
      const names = namesByApp.get(container) ?? new Set<string>();
      namesByApp.set(container, names);
      if (names.has(instance)) {
        throw new ImproperlyConfiguredError(
          'name',
          `a result backend named "${instance}" is already registered; give each instance its own name`,
          `ResultBackendModule.forRoot({ name: 'archive', url: 'redis://localhost:6379/1' })`,
        );
      }
      names.add(instance);
      return createResultBackend(options, { name: instance });
    },
  };
  return {
    ...definition,
    providers: [...(definition.providers ?? []), provider],
    exports: [...(definition.exports ?? []), token],
  };
}
