/**
 * Redis errors retrying cannot heal (tester finding 4): against a real redis-server with
 * `requirepass`, a wrong password (WRONGPASS), a missing one (NOAUTH) and a database number
 * the server does not have fail every call with a permanent BackendUnavailableError naming
 * the cause (not the "no connection within … ms" outage error), never with the password;
 * the health indicator reports down with that reason. A refused connection's error carries
 * the last connection error (ECONNREFUSED).
 */
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { firstValueFrom } from 'rxjs';
import {
  BackendUnavailableError,
  createResultBackend,
  ResultBackendModule,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  ResultBackendHealthIndicator,
  ResultBackendHealthModule,
} from '../libs/result-backend/src/health/index.js';
import {
  RecordingLogger,
  startRedis,
  type TestRedis,
} from './support/redis-server.js';
import { getFreePort } from './support/server-process.js';
import { PASSWORD, rejection, WRONG } from './support/auth-refusal.js';
import { describeWithServer } from './support/skip-gate.js';
import { closesAfterEach } from './support/cleanup.js';

jest.setTimeout(20_000);

const own = closesAfterEach();

/** `err` is the permanent configuration error naming `reply`, without any password. */
function expectConfigurationError(err: unknown, reply: RegExp): void {
  expect(err).toBeInstanceOf(BackendUnavailableError);
  const e = err as BackendUnavailableError;
  expect(e.permanent).toBe(true);
  expect(e.message).toMatch(reply);
  expect(e.message).toMatch(/configuration error, not retried/);
  expect(e.message).not.toMatch(/no connection within/);
  expect(e.message).not.toContain(WRONG);
  expect(e.message).not.toContain(PASSWORD);
  expect(e.cause).toBeInstanceOf(Error);
  const printed = inspect(e, { depth: Infinity, showHidden: true });
  expect(printed).not.toContain(WRONG);
  expect(printed).not.toContain(PASSWORD);
}

/** Every kind of call on `svc` fails with the configuration error naming `reply`. */
async function expectAllMisconfigured(
  svc: ResultBackendService,
  reply: RegExp,
): Promise<void> {
  const id = randomUUID();
  const calls = await Promise.all([
    rejection(svc.getTaskMeta(id)),
    rejection(svc.markAsDone(id, 1)),
    rejection(svc.getMany([id, randomUUID()])),
    rejection(svc.forget(id)),
  ]);
  for (const err of calls) expectConfigurationError(err, reply);
  // a later call is refused the same way
  expectConfigurationError(await rejection(svc.getTaskMeta(id)), reply);
}

describeWithServer(
  ['redis-server'],
  'Redis configuration errors (wrong password, bad db)',
  () => {
    let redis: TestRedis;
    let logger: RecordingLogger;
    const url = (auth: string, db: number): string =>
      `redis://${auth}127.0.0.1:${redis.port}/${db}`;

    beforeAll(async () => {
      redis = await startRedis({ extraArgs: ['--requirepass', PASSWORD] });
    });
    afterAll(() => redis?.stop());
    beforeEach(() => {
      logger = new RecordingLogger();
    });
    afterEach(() => {
      for (const line of logger.lines) {
        expect(line).not.toContain(WRONG);
        expect(line).not.toContain(PASSWORD);
      }
    });

    it('a wrong password fails every call with a permanent error (WRONGPASS)', async () => {
      const svc = own(
        await createResultBackend({ url: url(`:${WRONG}@`, 0) }, { logger }),
      );
      expect(svc.description).toContain('***');
      await expectAllMisconfigured(svc, /WRONGPASS/);
    });

    it('a wrong user name and password fail the same way', async () => {
      const svc = own(
        await createResultBackend(
          { url: url(`nobody:${WRONG}@`, 0) },
          { logger },
        ),
      );
      await expectAllMisconfigured(svc, /WRONGPASS/);
    });

    it('no password on a server that needs one fails with NOAUTH', async () => {
      const svc = own(
        await createResultBackend({ url: url('', 0) }, { logger }),
      );
      await expectAllMisconfigured(svc, /NOAUTH/);
    });

    it('db 99 on a 16-database server fails with "DB index is out of range", writing nothing to db 0', async () => {
      const svc = own(
        await createResultBackend(
          { url: url(`:${PASSWORD}@`, 99) },
          { logger },
        ),
      );
      await expectAllMisconfigured(svc, /DB index is out of range/);
      const raw = own(
        new Redis({ port: redis.port, host: '127.0.0.1', password: PASSWORD }),
        (c) => c.disconnect(),
      );
      expect(await raw.dbsize()).toBe(0);
    });

    it.each([
      ['a wrong password', `:${WRONG}@`, 0, /WRONGPASS/],
      ['db 99', `:${PASSWORD}@`, 99, /DB index is out of range/],
    ])(
      '%s: watch, waitFor, watchMany and join fail with the permanent error, not their timeout',
      async (_name, auth, db, reply) => {
        // Push store: no poll but the safety re-read (10 × 5 s) before the calls' timeout.
        const svc = own(
          await createResultBackend(
            { url: url(auth, db), pollIntervalMs: 5_000 },
            { logger },
          ),
        );
        const id = randomUUID();
        // Before the fix these ended with ResultTimeoutError after 10 s.
        const opts = { timeout: 10_000 };
        const calls = await Promise.all([
          rejection(firstValueFrom(svc.watch(id, opts))),
          rejection(svc.waitFor(id, opts)),
          rejection(firstValueFrom(svc.watchMany([id, randomUUID()], opts))),
          rejection(svc.join([randomUUID(), id], opts)),
        ]);
        for (const err of calls) expectConfigurationError(err, reply);
        // a later watch too
        expectConfigurationError(
          await rejection(svc.waitFor(randomUUID(), opts)),
          reply,
        );
      },
    );

    it('the health indicator reports down with the reason, without throwing', async () => {
      const ref = own(
        await Test.createTestingModule({
          imports: [
            ResultBackendModule.forRoot({ url: url(`:${WRONG}@`, 0) }),
            ResultBackendHealthModule,
          ],
        }).compile(),
      );
      const indicator = ref.get(ResultBackendHealthIndicator);
      const result = await indicator.isHealthy('results');
      expect(result.results).toMatchObject({
        status: 'down',
        message: expect.stringMatching(
          /BackendUnavailableError: .*configuration error, not retried: WRONGPASS/,
        ) as unknown,
      });
      expect(JSON.stringify(result)).not.toContain(WRONG);
    });

    it('a refused connection: the error carries the last connection error (ECONNREFUSED)', async () => {
      const dead = await getFreePort();
      const svc = own(
        await createResultBackend(
          { url: `redis://127.0.0.1:${dead}/0?socket_connect_timeout=0.5` },
          { logger },
        ),
      );
      const err = await rejection(svc.getTaskMeta(randomUUID()));
      expect(err).toBeInstanceOf(BackendUnavailableError);
      const e = err as BackendUnavailableError;
      expect(e.permanent).toBe(false);
      expect(e.message).toMatch(
        /no connection within 500 ms \(connection is \w+; last error: connect ECONNREFUSED 127\.0\.0\.1:\d+\)/,
      );
      expect((e.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    });
  },
);
