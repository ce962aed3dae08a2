/**
 * The demo on memcached, replaying a bug report: a client polling `/tasks/evil\u00a0id`
 * (U+00A0 is an ordinary key byte to memcached, not whitespace) turned every other request and
 * `/health` into 503. Now that id reads like any other, and nothing else is disturbed.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import { startDemoApp } from './support/demo-app.js';
import {
  startMemcached,
  type MemcachedTestServer,
} from './support/memcached-server.js';
import { describeWithServer } from './support/skip-gate.js';

describeWithServer(['memcached'], 'demo on memcached: odd ids', () => {
  let mc: MemcachedTestServer | undefined;
  let app: INestApplication | undefined;
  let base: string;

  beforeAll(async () => {
    mc = await startMemcached();
    app = await startDemoApp({
      CELERY_RESULT_BACKEND: `cache+memcached://${mc.address}/`,
    });
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await mc?.stop();
  });

  it('polling /tasks/evil\\u00a0id leaves other requests and /health at 200', async () => {
    const results = (app as INestApplication).get(ResultBackendService);
    await results.markAsDone('good', 1);
    const evil = `/tasks/${encodeURIComponent('evil\u00a0id')}`;
    for (let i = 0; i < 10; i++) {
      const [odd, good, health] = await Promise.all([
        request(base).get(evil),
        request(base).get('/tasks/good'),
        request(base).get('/health'),
      ]);
      expect([odd.status, good.status, health.status]).toEqual([200, 200, 200]);
      expect(odd.body).toMatchObject({
        taskId: 'evil\u00a0id',
        status: 'PENDING',
      });
      expect(good.body).toMatchObject({ status: 'SUCCESS', result: 1 });
    }
    await results.markAsDone('evil\u00a0id', 'found');
    const done = await request(base).get(evil).expect(200);
    expect(done.body).toMatchObject({ status: 'SUCCESS', result: 'found' });
    await request(base).get('/tasks/good').expect(200);
  });
});
