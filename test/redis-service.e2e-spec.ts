/**
 * The full ResultBackendService contract on a real redis-server (push through pub/sub,
 * chords in Redis's .j/.t/.s layout), plus Redis specifics seen through the service.
 */
import { describeWithServer } from './support/skip-gate.js';
import { runServiceContract } from './support/service-contract.js';
import { startRedis, type TestRedis } from './support/redis-server.js';

describeWithServer(['redis-server'], 'ResultBackendService on redis://', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  runServiceContract(() => ({ url: redis.url }));
});
