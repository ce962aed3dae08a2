/**
 * Wrong credentials on Redis Sentinel (and Redis Cluster): the data nodes require a password
 * (`requirepass`; the sentinels monitor with `auth-pass`). A wrong or missing password in the
 * URL fails every call, watch and `waitFor` at once with a permanent BackendUnavailableError
 * naming the reply (WRONGPASS / NOAUTH), never with the password in the error or the log; the
 * right one works.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import {
  BackendUnavailableError,
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import { closesAfterEach } from './support/cleanup.js';
import { RecordingLogger } from './support/redis-server.js';
import {
  MASTER_NAME,
  startSentinels,
  type TestSentinels,
} from './support/redis-sentinel-server.js';
import { describeWithServer } from './support/skip-gate.js';

jest.setTimeout(20_000);

/** The nodes' password, and a wrong one; neither may show up in errors or logs. */
const PASSWORD = 'right-Secret-1';
const WRONG = 'wrong-Secret-2';

const own = closesAfterEach();

/** The rejection of `call` (an Error saying it succeeded when it did not reject). */
function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('call succeeded'),
    (e: unknown) => e,
  );
}

/** Every kind of call fails with the permanent error naming `reply`, without a password. */
async function expectRefused(
  svc: ResultBackendService,
  reply: RegExp,
): Promise<void> {
  const id = randomUUID();
  // Longer than the test: only the permanent error can end the watches in time.
  const wait = { timeout: 60_000 };
  const errors = await Promise.all([
    rejection(svc.getTaskMeta(id)),
    rejection(svc.markAsDone(id, 1)),
    rejection(firstValueFrom(svc.watch(id, wait))),
    rejection(svc.waitFor(randomUUID(), wait)),
  ]);
  for (const err of errors) {
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const e = err as BackendUnavailableError;
    expect(e.permanent).toBe(true);
    expect(e.message).toMatch(reply);
    expect(e.message).toMatch(/configuration error, not retried/);
    expect(e.message).not.toContain(WRONG);
    expect(e.message).not.toContain(PASSWORD);
  }
}

describeWithServer(['redis-server'], 'Sentinel with a wrong password', () => {
  let sentinels: TestSentinels;
  let logger: RecordingLogger;
  /** The deployment's URL with `auth` (`:password@` or empty) on the first sentinel. */
  const url = (auth: string): string => {
    const [first, ...rest] = sentinels.sentinelPorts;
    return [
      `sentinel://${auth}127.0.0.1:${first}`,
      ...rest.map((p) => `sentinel://127.0.0.1:${p}`),
    ]
      .join(';')
      .concat(`?master_name=${MASTER_NAME}`);
  };

  beforeAll(async () => {
    sentinels = await startSentinels({ password: PASSWORD });
  }, 40_000);
  afterAll(() => sentinels?.stop());
  beforeEach(() => {
    logger = new RecordingLogger();
  });
  afterEach(() => {
    for (const line of logger.lines) {
      expect(line).not.toContain(WRONG);
      expect(line).not.toContain(PASSWORD);
    }
  });

  it('the right password works (the deployment requires one)', async () => {
    const svc = own(
      await createResultBackend({ url: url(`:${PASSWORD}@`) }, { logger }),
    );
    const id = randomUUID();
    const waited = svc.waitFor(id, { timeout: 10_000 });
    await svc.markAsDone(id, 'ok');
    await expect(waited).resolves.toBe('ok');
  });

  it('a wrong password fails calls, watches and waitFor at once (WRONGPASS)', async () => {
    const svc = own(
      await createResultBackend({ url: url(`:${WRONG}@`) }, { logger }),
    );
    expect(svc.description).not.toContain(WRONG);
    await expectRefused(svc, /WRONGPASS/);
  });

  it('no password fails the same way (NOAUTH)', async () => {
    const svc = own(await createResultBackend({ url: url('') }, { logger }));
    await expectRefused(svc, /NOAUTH/);
  });
});
