/**
 * A refused Redis password never leaks through the errors this library hands out (tester
 * finding): ioredis attaches the failed command to its reply error (`command: { name: 'auth',
 * args: ['bob', '<password>'] }`), and that error used to be the `cause` of the
 * BackendUnavailableError, which `console.error` / `util.inspect` / pino / Sentry print.
 * Against a real `redis-server --requirepass`, every call's error (and the whole chain of
 * causes) is printed and serialized and must contain neither the password nor its
 * URL-decoded form, while the driver's reply and error class stay for debugging.
 */
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
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
import { rejection } from './support/auth-refusal.js';
import { describeWithServer } from './support/skip-gate.js';
import { closesAfterEach } from './support/cleanup.js';

jest.setTimeout(20_000);

/** The password in the URL (wrong for the server); `%40` decodes to `@`. */
const ENCODED = 'Hunter2%40Secret';
const DECODED = 'Hunter2@Secret';
const SECRETS = [ENCODED, DECODED, 'Hunter2'];

const own = closesAfterEach();

/** The error and every cause below it, as `console.error` and a JSON logger would show them. */
function printed(err: unknown): string {
  const parts = [inspect(err, { depth: Infinity, showHidden: true })];
  for (let e = err, i = 0; e instanceof Error && i < 10; i++) {
    parts.push(JSON.stringify(e), JSON.stringify({ ...e }));
    e = e.cause;
  }
  return parts.join('\n');
}

/** `err` is the permanent WRONGPASS error, its cause the driver's reply without the password. */
function expectNoSecret(err: unknown): void {
  expect(err).toBeInstanceOf(BackendUnavailableError);
  const e = err as BackendUnavailableError;
  expect(e.permanent).toBe(true);
  expect(e.message).toMatch(/WRONGPASS/);
  const cause = e.cause as Error & {
    command?: { name: string; args: unknown[] };
  };
  // what ioredis gives for debugging stays: the reply, its class, the command's name
  expect(cause).toBeInstanceOf(Error);
  expect(cause.name).toBe('ReplyError');
  expect(cause.message).toMatch(/^WRONGPASS/);
  expect(cause.command?.name).toMatch(/^(auth|hello)$/);
  expect(cause.command?.args.every((a) => a === '[redacted]')).toBe(true);
  const text = printed(err);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describeWithServer(['redis-server'], 'Redis passwords in error causes', () => {
  let redis: TestRedis;
  let logger: RecordingLogger;

  beforeAll(async () => {
    redis = await startRedis({ extraArgs: ['--requirepass', 'other'] });
  });
  afterAll(() => redis?.stop());
  beforeEach(() => {
    logger = new RecordingLogger();
  });
  afterEach(() => {
    for (const line of logger.lines)
      for (const secret of SECRETS) expect(line).not.toContain(secret);
  });

  it.each([
    ['user and password', `bob:${ENCODED}@`],
    ['password only', `:${ENCODED}@`],
  ])(
    '%s: getTaskMeta, watch, waitFor, join and ping errors print no password',
    async (_name, auth) => {
      const svc: ResultBackendService = own(
        await createResultBackend(
          { url: `redis://${auth}127.0.0.1:${redis.port}/0` },
          { logger },
        ),
      );
      const wait = { timeout: 3_000 };
      const errors = await Promise.all([
        rejection(svc.getTaskMeta(randomUUID())),
        rejection(firstValueFrom(svc.watch(randomUUID(), wait))),
        rejection(svc.waitFor('x', wait)),
        rejection(svc.join([randomUUID()], wait)),
        rejection(svc.markAsDone(randomUUID(), 1)),
      ]);
      errors.push(await rejection(svc.ping()));
      for (const err of errors) expectNoSecret(err);
    },
  );

  it('the health indicator output names the reply, not the password', async () => {
    const ref = own(
      await Test.createTestingModule({
        imports: [
          ResultBackendModule.forRoot({
            url: `redis://bob:${ENCODED}@127.0.0.1:${redis.port}/0`,
          }),
          ResultBackendHealthModule,
        ],
      }).compile(),
    );
    const result = await ref.get(ResultBackendHealthIndicator).isHealthy('r');
    expect(result.r).toMatchObject({ status: 'down' });
    expect(JSON.stringify(result)).toMatch(/WRONGPASS/);
    const text = inspect(result, { depth: Infinity }) + JSON.stringify(result);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
