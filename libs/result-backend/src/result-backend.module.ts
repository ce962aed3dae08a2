import { Module, type DynamicModule } from '@nestjs/common';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
} from './result-backend.module-definition.js';
import { createResultBackendProvider } from './result-backend.providers.js';
import { getResultBackendToken } from './result-backend.tokens.js';

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
  return {
    ...definition,
    providers: [
      ...(definition.providers ?? []),
      createResultBackendProvider(name),
    ],
    exports: [...(definition.exports ?? []), getResultBackendToken(name)],
  };
}
