import { registerAs } from '@nestjs/config';
import { resolve } from 'node:path';

/** The demo app's result backend settings. */
export interface ResultBackendAppConfig {
  /** Celery result backend URL (`CELERY_RESULT_BACKEND`, else the embedded filesystem store). */
  readonly url: string;
  /** Directory of the embedded filesystem store, created on start; `null` when a URL was given. */
  readonly dataDir: string | null;
}

/** Where the embedded store keeps results when no URL is configured. */
export const DEFAULT_RESULTS_DIR = '.data/results';

/**
 * `resultBackend` config namespace: `CELERY_RESULT_BACKEND` when set (any URL the library
 * understands, e.g. the `redis://…` of a real Celery deployment), else a filesystem store in
 * `RESULTS_DIR` (default `./.data/results`), so the demo runs without any server.
 */
export const resultBackendConfig = registerAs(
  'resultBackend',
  (): ResultBackendAppConfig => {
    const url = process.env.CELERY_RESULT_BACKEND?.trim();
    if (url) return { url, dataDir: null };
    const dataDir = resolve(
      process.env.RESULTS_DIR?.trim() || DEFAULT_RESULTS_DIR,
    );
    return { url: `file://${dataDir}`, dataDir };
  },
);
