/**
 * Ids a store cannot key (issue 17 §1, §2): refused at once with InvalidTaskIdError at every
 * entry point on every store, never a timeout, and never at the cost of other waiters. Plus
 * memcached keys with non-ASCII whitespace (U+00A0, U+2028, U+3000), which memcached accepts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  expectGoodWaiterUnharmed,
  expectRefusedEverywhere,
} from './support/bad-id-contract.js';
import { MalformedResultError } from '../libs/result-backend/src/errors/malformed-result.error.js';
import {
  rawMemcached,
  startMemcached,
  type MemcachedTestServer,
} from './support/memcached-server.js';
import {
  S3RVER_BIN,
  startS3rver,
  type S3TestServer,
} from './support/s3-server.js';
import { describeWithServer } from './support/skip-gate.js';

const LONE_HIGH = 'a\ud800b';
const LONE_LOW = 'a\udc00b';
const quiet = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Ids no store can key: lone surrogates (no UTF-8 form), control characters, empty. */
const EVERY_STORE_BAD = [LONE_HIGH, LONE_LOW, 'a\nb', ''];

describe('bad ids on cache+memory://', () => {
  let svc: ResultBackendService;
  beforeAll(async () => {
    svc = await createResultBackend(
      { url: 'cache+memory://', pollIntervalMs: 50 },
      { logger: quiet },
    );
  });
  afterAll(() => svc?.close());

  it.each(EVERY_STORE_BAD)('refuses %j everywhere', (bad) =>
    expectRefusedEverywhere(svc, bad),
  );

  it('accepts a well-formed surrogate pair (an emoji)', async () => {
    const id = `emoji-\u{1F600}-${randomUUID()}`;
    await svc.markAsDone(id, 7);
    await expect(svc.waitFor(id, { timeout: 5000 })).resolves.toBe(7);
  });
});

describe('bad ids on file://', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-bad-ids-'));
  let svc: ResultBackendService;
  beforeAll(async () => {
    svc = await createResultBackend(
      { url: `file://${dir}`, pollIntervalMs: 50 },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([...EVERY_STORE_BAD, 'a/b', 'a\\b', '../x', 'x'.repeat(250)])(
    'refuses %j everywhere',
    (bad) => expectRefusedEverywhere(svc, bad),
  );

  it('refuses waitFor("a/b") at once and still delivers a good waiter', () =>
    expectGoodWaiterUnharmed(svc, 'a/b', randomUUID()));
});

describeWithServer(['memcached'], 'bad ids on cache+memcached://', () => {
  let mc: MemcachedTestServer;
  let svc: ResultBackendService;
  beforeAll(async () => {
    mc = await startMemcached();
    svc = await createResultBackend(
      { url: `cache+memcached://${mc.address}/`, pollIntervalMs: 50 },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await svc?.close();
    await mc?.stop();
  });

  // 'celery-task-meta-' is 17 bytes: a 234-byte id makes a 251-byte key.
  it.each([...EVERY_STORE_BAD, 'a b', 'a\tb', 'x'.repeat(234)])(
    'refuses %j everywhere',
    (bad) => expectRefusedEverywhere(svc, bad),
  );

  it('accepts a 233-byte id (a 250-byte key, the limit)', async () => {
    const id = 'y'.repeat(233);
    await svc.markAsDone(id, 'edge');
    await expect(svc.getTaskMeta(id)).resolves.toMatchObject({
      status: 'SUCCESS',
      result: 'edge',
    });
  });

  it.each([LONE_HIGH, 'a b', 'x'.repeat(234)])(
    'refuses waitFor(%j) at once and still delivers a good waiter',
    (bad) => expectGoodWaiterUnharmed(svc, bad, randomUUID()),
  );

  it('a key whose stored value is unreadable fails alone; 10 good waiters are delivered', async () => {
    const bad = randomUUID();
    // Flags 1 = a pickled value (pylibmc): permanently unreadable for us.
    await rawMemcached(mc.port, `set celery-task-meta-${bad} 1 0 3\r\nabc\r\n`);
    const badWait = svc
      .waitFor(bad, { timeout: 20_000 })
      .catch((e: unknown) => e);
    const good = Array.from({ length: 10 }, () => randomUUID());
    const goodWaits = good.map((id) =>
      svc.waitFor<string>(id, { timeout: 20_000 }),
    );
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all(good.map((id) => svc.markAsDone(id, `ok-${id}`)));
    await expect(Promise.all(goodWaits)).resolves.toEqual(
      good.map((id) => `ok-${id}`),
    );
    expect(await badWait).toBeInstanceOf(MalformedResultError);
  });

  it.each(['a\u00a0b', 'a\u2028b', 'a\u3000b', 'a\u0085b', 'a\ufeffb'])(
    'stores and reads %j (memcached keys end at an ASCII space only)',
    async (id) => {
      const unrelated = randomUUID();
      await svc.markAsDone(unrelated, 'other');
      await expect(svc.markAsDone(id, 1)).resolves.toBe('written');
      await expect(svc.getTaskMeta(id)).resolves.toMatchObject({
        status: 'SUCCESS',
        result: 1,
      });
      await expect(svc.waitFor(id, { timeout: 5000 })).resolves.toBe(1);
      await expect(svc.getStatus(unrelated)).resolves.toBe('SUCCESS');
      await svc.forget(id);
    },
  );
});

describeWithServer([S3RVER_BIN], 'bad ids on s3://', () => {
  let srv: S3TestServer;
  let svc: ResultBackendService;
  beforeAll(async () => {
    srv = await startS3rver(['bad-ids']);
    svc = await createResultBackend(
      {
        url: `s3://S3RVER:S3RVER@bad-ids/base/?endpoint_url=${srv.endpointUrl}&region=us-east-1`,
        pollIntervalMs: 50,
      },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await svc?.close();
    await srv?.stop();
  });

  it.each(EVERY_STORE_BAD)('refuses %j everywhere', (bad) =>
    expectRefusedEverywhere(svc, bad),
  );

  it('refuses waitFor("a\\ud800b") at once and still delivers a good waiter', () =>
    expectGoodWaiterUnharmed(svc, LONE_HIGH, randomUUID()));
});
