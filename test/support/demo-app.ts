/**
 * The demo app (`src/app.module.ts`) booted like `npm start` (NestFactory) on a free loopback
 * port, with its settings taken from the given environment only, for the HTTP, SSE, health and
 * browser suites.
 */
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module.js';

/** The variables the demo reads; unset unless given, so the caller's shell never leaks in. */
export const DEMO_ENV = [
  'CELERY_RESULT_BACKEND',
  'RESULTS_DIR',
  'DEMO_STEP_MS',
] as const;

/** Settings of {@link startDemoApp}, under the demo's variable names. */
export type DemoEnv = Partial<Record<(typeof DEMO_ENV)[number], string>>;

/**
 * Boot AppModule with `env` (process.env is restored afterwards), listening on 127.0.0.1 on a
 * free port (`await app.getUrl()`). The caller closes it; an app that failed to listen is
 * closed here.
 */
export async function startDemoApp(env: DemoEnv): Promise<INestApplication> {
  const saved = DEMO_ENV.map((k) => [k, process.env[k]] as const);
  for (const k of DEMO_ENV) delete process.env[k];
  Object.assign(process.env, env);
  try {
    const app = await NestFactory.create(AppModule, { logger: false });
    try {
      await app.listen(0, '127.0.0.1');
    } catch (err) {
      await app.close();
      throw err;
    }
    return app;
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
