import { Logger, type LoggerService } from '@nestjs/common';
import {
  resolveModuleOptions,
  type SettingReader,
} from './options/module-options.resolver.js';
import type { ResultBackendModuleOptions } from './options/result-backend-options.interface.js';
import {
  DEFAULT_RESULT_BACKEND_NAME,
  RESULT_BACKEND_LOGGER_CONTEXT,
} from './result-backend.constants.js';
import { ResultBackendService } from './result-backend.service.js';
import { createBackendStore } from './stores/backends.js';
import { OutageLog } from './utils/outage-log.util.js';

/** Extra inputs of {@link createResultBackend}. @publicApi */
export interface CreateResultBackendExtras {
  /** Where settings not given in options come from (default: `options.settings`, else `process.env`). */
  read?: SettingReader;
  /** Logger (default: Nest's `Logger` with context `ResultBackend`). */
  logger?: LoggerService;
  /** Instance name (for logs). */
  name?: string;
}

/**
 * Build a `ResultBackendService` outside Nest's DI (scripts, workers, benchmarks). Close it
 * with `close()` when done.
 * @example const results = await createResultBackend({ url: 'redis://localhost:6379/0' });
 * @publicApi
 */
export async function createResultBackend(
  options: ResultBackendModuleOptions = {},
  extras: CreateResultBackendExtras = {},
): Promise<ResultBackendService> {
  const name = extras.name ?? DEFAULT_RESULT_BACKEND_NAME;
  const { settings } = options;
  const read: SettingReader =
    extras.read ??
    (settings ? (n) => settingText(settings(n)) : (n) => process.env[n]);
  const explicit =
    options.required === false &&
    !options.url &&
    !options.store &&
    !read('CELERY_RESULT_BACKEND')
      ? { ...options, url: 'disabled://' }
      : options;
  const resolved = resolveModuleOptions(explicit, read);
  const logger =
    extras.logger ??
    new Logger(
      name === DEFAULT_RESULT_BACKEND_NAME
        ? RESULT_BACKEND_LOGGER_CONTEXT
        : `${RESULT_BACKEND_LOGGER_CONTEXT}:${name}`,
    );
  const ctx = {
    description: resolved.description,
    logger,
    pollIntervalMs: resolved.pollIntervalMs,
    // One outage log per backend instance: every part of the store reports to it.
    outage: new OutageLog(logger, resolved.description),
  };
  const store =
    resolved.store ?? (await createBackendStore(resolved.backend, ctx));
  return new ResultBackendService(store, resolved, logger, name);
}

/** A setting's value as text: objects (from `@nestjs/config` `load:`) as JSON. */
function settingText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
