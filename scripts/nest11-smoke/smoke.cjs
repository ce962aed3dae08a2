// Nest 11 (CommonJS) app using the ESM library through require(esm) on Node >= 20.19.
require('reflect-metadata');
const { Module, Injectable, Controller } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const {
  ResultBackendModule,
  ResultBackendService,
  TaskFailedError,
} = require('@app/result-backend');
const {
  ResultBackendHealthModule,
  ResultBackendHealthIndicator,
} = require('@app/result-backend/health');

class AppModule {}
Module({
  imports: [
    ResultBackendModule.forRoot({ url: 'cache+memory://' }),
    ResultBackendHealthModule,
  ],
})(AppModule);

(async () => {
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: false,
  });
  const svc = app.get(ResultBackendService);
  const pending = svc.waitFor('t1', { timeout: 2000 });
  await svc.markAsStarted('t1');
  await svc.markAsDone('t1', { ok: true });
  console.log('waitFor', JSON.stringify(await pending));
  await svc.markAsFailure('t2', new TypeError('bad'));
  const err = await svc.waitFor('t2').catch((e) => e);
  console.log('failure', err instanceof TaskFailedError, err.excType);
  const health = await app
    .get(ResultBackendHealthIndicator)
    .isHealthy('results');
  console.log('health', JSON.stringify(health.results.status));
  await app.close();
  console.log('closed');
})().catch((e) => {
  console.error('FAILED', e);
  process.exit(1);
});
