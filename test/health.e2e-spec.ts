/**
 * ResultBackendHealthIndicator: `GET /health` of the demo app against a real redis-server
 * that the test stops and restarts (200 → 503 → 200), and the indicator's contract (never
 * throws, per named instance, timeout, masked messages) on in-process stores.
 */
import type { INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import request from 'supertest';
import {
  ResultBackendModule,
  ResultBackendService,
  type ResultStore,
} from '../libs/result-backend/src/index.js';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  ResultBackendHealthIndicator,
  ResultBackendHealthModule,
} from '../libs/result-backend/src/health/index.js';
import { startDemoApp } from './support/demo-app.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import { describeWithServer } from './support/skip-gate.js';

// real servers and timers: more than jest's default 5 s per test (projects ignore testTimeout)
jest.setTimeout(30_000);

/** Poll `GET /health` until it answers `status`, or fail with the last answer. */
async function healthBecomes(
  base: string,
  status: number,
  ms = 20_000,
): Promise<request.Response> {
  const end = Date.now() + ms;
  let last: request.Response | undefined;
  for (;;) {
    last = await request(base).get('/health');
    if (last.status === status) return last;
    if (Date.now() > end)
      throw new Error(
        `/health still ${last.status} after ${ms} ms: ${JSON.stringify(last.body)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeWithServer(
  ['redis-server'],
  'GET /health with a Redis store that goes down and comes back',
  () => {
    let redis: TestRedis;
    let app: INestApplication;
    let base: string;

    beforeAll(async () => {
      redis = await startRedis();
      app = await startDemoApp({ CELERY_RESULT_BACKEND: redis.url });
      base = await app.getUrl();
    }, 30_000);
    afterAll(async () => {
      await app?.close();
      await redis?.stop();
    }, 30_000);

    it('200 while up, 503 with the reason while stopped, 200 again once restarted', async () => {
      const up = await request(base).get('/health').expect(200);
      expect(up.body).toMatchObject({
        status: 'ok',
        info: {
          results: {
            status: 'up',
            instance: 'default',
            backend: 'redis',
            description: redis.url,
          },
        },
      });
      expect(typeof up.body.info.results.latencyMs).toBe('number');
      await app.get(ResultBackendService).markAsDone('h-1', 'before');

      await redis.stop();
      const down = await healthBecomes(base, 503);
      expect(down.body).toMatchObject({
        status: 'error',
        error: {
          results: {
            status: 'down',
            instance: 'default',
            backend: 'redis',
            description: redis.url,
          },
        },
      });
      expect(String(down.body.error.results.message)).toMatch(
        /^BackendUnavailableError: Result backend redis:\/\/127.0.0.1:\d+\/0 unavailable: /,
      );

      // reads while the store is down are a typed 503, not a 500
      const read = await request(base).get('/tasks/h-1');
      expect(read.status).toBe(503);

      await redis.restart();
      const back = await healthBecomes(base, 200);
      expect(back.body.info.results).toMatchObject({
        status: 'up',
        backend: 'redis',
      });
      // a fresh server: the result written before is gone, but reads and writes work again
      await request(base).get('/tasks/h-1').expect(200);
      await app.get(ResultBackendService).markAsDone('h-2', 'after');
      const res = await request(base)
        .get('/tasks/h-2/result?timeout=5')
        .expect(200);
      expect(res.body.result).toBe('after');
    }, 60_000);
  },
);

/** A store whose ping never settles, or fails with the given error. */
function fakeStore(
  ping: () => Promise<void>,
  description = 'fake://store',
): ResultStore {
  return {
    kind: 'memory',
    description,
    autoExpires: true,
    get: () => Promise.resolve(null),
    mget: (keys) => Promise.resolve(keys.map(() => null)),
    set: () => Promise.resolve('written'),
    delete: () => Promise.resolve(),
    ping,
    close: () => Promise.resolve(),
  };
}

describe('ResultBackendHealthIndicator', () => {
  let ref: TestingModule;
  let indicator: ResultBackendHealthIndicator;

  beforeAll(async () => {
    ref = await Test.createTestingModule({
      imports: [
        ResultBackendModule.forRoot({ url: 'cache+memory://' }),
        ResultBackendModule.forRoot({ name: 'off', url: 'disabled://' }),
        ResultBackendModule.forRoot({
          name: 'archive',
          url: 'cache+memory://',
        }),
        ResultBackendModule.forRoot({
          name: 'hanging',
          store: fakeStore(() => new Promise<void>(() => undefined)),
        }),
        ResultBackendModule.forRoot({
          name: 'leaky',
          store: fakeStore(() =>
            Promise.reject(
              new Error(
                'connect to redis://admin:s3cr3t@db.internal:6379/0 failed\n  at somewhere',
              ),
            ),
          ),
        }),
        ResultBackendModule.forRoot({
          name: 'throws',
          store: fakeStore(() => {
            throw new TypeError('sync failure');
          }),
        }),
        ResultBackendHealthModule,
      ],
    }).compile();
    indicator = ref.get(ResultBackendHealthIndicator);
  });
  afterAll(() => ref?.close());

  it('up for the default instance, with kind, description and latency', async () => {
    const result = await indicator.isHealthy('results');
    expect(result).toEqual({
      results: {
        status: 'up',
        instance: 'default',
        backend: 'memory',
        description: expect.stringMatching(/memory/) as unknown,
        latencyMs: expect.any(Number) as unknown,
      },
    });
  });

  it('checks a named instance', async () => {
    const result = await indicator.isHealthy('archive', { name: 'archive' });
    expect(result.archive).toMatchObject({
      status: 'up',
      instance: 'archive',
      backend: 'memory',
    });
  });

  it('down, without throwing, for a name that is not registered', async () => {
    await expect(indicator.isHealthy('x', { name: 'nope' })).resolves.toEqual({
      x: {
        status: 'down',
        instance: 'nope',
        message: 'no result backend named "nope" is registered',
      },
    });
  });

  it('down, without throwing, for a disabled backend', async () => {
    const result = await indicator.isHealthy('off', { name: 'off' });
    expect(result.off).toMatchObject({
      status: 'down',
      instance: 'off',
      backend: 'disabled',
    });
    expect(result.off.message).toMatch(
      /BackendDisabledError: No result backend is configured/,
    );
  });

  it('down when the ping does not answer within timeoutMs', async () => {
    const result = await indicator.isHealthy('h', {
      name: 'hanging',
      timeoutMs: 50,
    });
    expect(result.h).toMatchObject({
      status: 'down',
      description: 'fake://store',
      message: 'Error: ping timed out after 50 ms',
    });
  });

  it('falls back to the default timeout for a timeout that is not a positive number', async () => {
    const result = await indicator.isHealthy('h', {
      name: 'hanging',
      timeoutMs: -5,
    });
    expect(result.h.message).toBe(
      `Error: ping timed out after ${DEFAULT_HEALTH_TIMEOUT_MS} ms`,
    );
  });

  it('masks passwords in the reason and keeps it on one line', async () => {
    const result = await indicator.isHealthy('l', { name: 'leaky' });
    expect(result.l.status).toBe('down');
    expect(result.l.message).toBe(
      'Error: connect to redis://admin:***@db.internal:6379/0 failed at somewhere',
    );
    expect(JSON.stringify(result)).not.toContain('s3cr3t');
  });

  it('down when ping throws synchronously', async () => {
    const result = await indicator.isHealthy('t', { name: 'throws' });
    expect(result.t).toMatchObject({
      status: 'down',
      message: 'TypeError: sync failure',
    });
  });
});

describe('the health entry point', () => {
  it('is the only part of the library that imports @nestjs/terminus', () => {
    const root = join(process.cwd(), 'libs/result-backend/src');
    const importers = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .filter((f) =>
        /from '@nestjs\/terminus'/.test(readFileSync(join(root, f), 'utf8')),
      )
      .map((f) => relative(root, join(root, f)));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith('health/'))).toEqual([]);
    expect(readFileSync(join(root, 'index.ts'), 'utf8')).not.toMatch(/health/);
  });
});
