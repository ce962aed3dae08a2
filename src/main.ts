import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import { AppModule } from './app.module.js';

/** Start the demo app on `PORT` (default 3000). */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const results = app.get(ResultBackendService);
  Logger.log(
    `Results from ${results.description} on http://localhost:${port}`,
    'Demo',
  );
}

bootstrap().catch((err: unknown) => {
  Logger.error(err instanceof Error ? err.message : String(err), 'Demo');
  process.exitCode = 1;
});
