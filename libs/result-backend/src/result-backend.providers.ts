import type { Provider } from '@nestjs/common';
import { ModuleRef, ModulesContainer } from '@nestjs/core';
import { ImproperlyConfiguredError } from './errors/improperly-configured.error.js';
import type { ResultBackendModuleOptions } from './options/result-backend-options.interface.js';
import type { SettingReader } from './options/resolve-module-options.util.js';
import { DEFAULT_RESULT_BACKEND_NAME } from './result-backend.constants.js';
import { createResultBackend } from './result-backend.factory.js';
import {
  DUPLICATE_INSTANCE_EXAMPLE,
  duplicateInstanceMessage,
} from './result-backend.messages.js';
import { RESULT_BACKEND_MODULE_OPTIONS } from './result-backend.module-definition.js';
import type { ResultBackendService } from './result-backend.service.js';
import { getResultBackendToken } from './result-backend.tokens.js';

const namesByApp = new WeakMap<ModulesContainer, Set<string>>();

/**
 * The provider of one named instance: resolves the options (explicit, then ConfigService,
 * then the environment), refuses a name registered twice in one application, builds the
 * store.
 * @internal
 */
export function createResultBackendProvider(name?: string): Provider {
  return {
    provide: getResultBackendToken(name),
    inject: [RESULT_BACKEND_MODULE_OPTIONS, ModuleRef, ModulesContainer],
    useFactory: async (
      options: ResultBackendModuleOptions,
      moduleRef: ModuleRef,
      container: ModulesContainer,
    ): Promise<ResultBackendService> => {
      const instance = name ?? DEFAULT_RESULT_BACKEND_NAME;
      const names = namesByApp.get(container) ?? new Set<string>();
      namesByApp.set(container, names);
      if (names.has(instance)) {
        throw new ImproperlyConfiguredError(
          'name',
          duplicateInstanceMessage(instance),
          DUPLICATE_INSTANCE_EXAMPLE,
        );
      }
      names.add(instance);
      return createResultBackend(options, {
        read: await settingReader(moduleRef),
        name: instance,
      });
    },
  };
}

/** ConfigService when `@nestjs/config` is installed and registered, else the environment. */
async function settingReader(moduleRef: ModuleRef): Promise<SettingReader> {
  const env: SettingReader = (n) => process.env[n];
  let config: { get<T>(key: string): T | undefined } | undefined;
  try {
    const { ConfigService } = await import('@nestjs/config');
    config = moduleRef.get(ConfigService, { strict: false });
  } catch {
    return env;
  }
  return (n) => {
    const v = config?.get<unknown>(n);
    if (v === undefined || v === null) return env(n);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
}
