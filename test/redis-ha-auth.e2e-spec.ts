/**
 * Wrong credentials on Redis Sentinel (Cluster: `redis-cluster-auth.e2e-spec.ts`): the data
 * nodes require a password (`requirepass`; the sentinels monitor with `auth-pass`) and the
 * sentinels one of their own (`redis.sentinelPassword`, Celery's `sentinel_kwargs`). A wrong
 * or missing password fails every call, watch and `waitFor` at once with a permanent
 * BackendUnavailableError naming the reply (WRONGPASS / NOAUTH), never with a password in the
 * error or the log; the right ones work.
 */
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  expectNoPasswordLogged,
  expectRefused,
  PASSWORD,
  SENTINEL_PASSWORD,
  WRONG,
} from './support/auth-refusal.js';
import { closesAfterEach } from './support/cleanup.js';
import { RecordingLogger } from './support/redis-server.js';
import {
  MASTER_NAME,
  startSentinels,
  type TestSentinels,
} from './support/redis-sentinel-server.js';
import { describeWithServer } from './support/skip-gate.js';

jest.setTimeout(20_000);

const own = closesAfterEach();

describeWithServer(['redis-server'], 'Sentinel with a wrong password', () => {
  let sentinels: TestSentinels;
  let logger: RecordingLogger;
  /** The sentinels' password as module options. */
  const redis = { sentinelPassword: SENTINEL_PASSWORD };
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
    sentinels = await startSentinels({
      password: PASSWORD,
      sentinelPassword: SENTINEL_PASSWORD,
    });
  }, 40_000);
  afterAll(() => sentinels?.stop());
  beforeEach(() => {
    logger = new RecordingLogger();
  });
  afterEach(() => expectNoPasswordLogged(logger));

  it('the right password works (the deployment requires one)', async () => {
    const svc = own(
      await createResultBackend(
        { url: url(`:${PASSWORD}@`), redis },
        { logger },
      ),
    );
    const id = randomUUID();
    const waited = svc.waitFor(id, { timeout: 10_000 });
    await svc.markAsDone(id, 'ok');
    await expect(waited).resolves.toBe('ok');
  });

  it('a wrong password fails calls, watches and waitFor at once (WRONGPASS)', async () => {
    const svc = own(
      await createResultBackend({ url: url(`:${WRONG}@`), redis }, { logger }),
    );
    expect(svc.description).not.toContain(WRONG);
    await expectRefused(svc, /WRONGPASS/);
  });

  it("a wrong sentinels' password fails the same way (WRONGPASS)", async () => {
    const svc = own(
      await createResultBackend(
        { url: url(`:${PASSWORD}@`), redis: { sentinelPassword: WRONG } },
        { logger },
      ),
    );
    await expectRefused(svc, /the sentinels refused: WRONGPASS/);
  });

  it("no sentinels' password fails the same way (NOAUTH)", async () => {
    const svc = own(
      await createResultBackend({ url: url(`:${PASSWORD}@`) }, { logger }),
    );
    await expectRefused(svc, /the sentinels refused: NOAUTH/);
  });

  it('no password fails the same way (NOAUTH)', async () => {
    const svc = own(
      await createResultBackend({ url: url(''), redis }, { logger }),
    );
    await expectRefused(svc, /NOAUTH/);
  });
});
