import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ResultBackendModuleOptions } from './options/result-backend-options.interface.js';

/** Module-level extras: `isGlobal` and the instance `name`. @publicApi */
export interface ResultBackendModuleExtras {
  /** Register the module globally (default false). */
  isGlobal?: boolean;
  /** Instance name for `@InjectResultBackend(name)`; omit for the default instance. */
  name?: string;
}

/** @internal */
export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: RESULT_BACKEND_MODULE_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ResultBackendModuleOptions>({
  moduleName: 'ResultBackend',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createResultBackendOptions')
  .setExtras<ResultBackendModuleExtras>(
    { isGlobal: false, name: undefined },
    (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }),
  )
  .build();
