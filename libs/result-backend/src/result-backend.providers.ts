import type { Provider } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { ImproperlyConfiguredError } from './errors/improperly-configured.error.js';
import type { ResultBackendModuleOptions } from './options/result-backend-options.interface.js';
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
 * The provider of one named instance: refuses a name registered twice in one application,
 * then resolves the options (explicit, then `options.settings`, then the environment) and
 * builds the store.
 * @internal
 */
export function createResultBackendProvider(name?: string): Provider {
  return {
    provide: getResultBackendToken(name),
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
          duplicateInstanceMessage(instance),
          DUPLICATE_INSTANCE_EXAMPLE,
        );
      }
      names.add(instance);
      return createResultBackend(options, { name: instance });
    },
  };
}
