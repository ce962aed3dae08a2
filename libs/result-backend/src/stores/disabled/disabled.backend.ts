import type { BackendDefinition } from '../backend-definition.interface.js';
import type { DisabledBackendConfig } from './disabled.options.js';

/** `disabled://` (or the bare name `disabled`): every call fails, like Celery's DisabledBackend. @internal */
export const disabledBackend: BackendDefinition<DisabledBackendConfig> = {
  kind: 'disabled',
  schemes: ['disabled'],
  bareNames: { disabled: () => 'disabled://' },
  example: 'disabled://',
  parseUrl: () => ({ kind: 'disabled' }),
  describe: () => 'disabled://',
  create: async () =>
    new (await import('./disabled.store.js')).DisabledResultStore(),
};
