/**
 * Ids a store cannot key: every entry point of the service refuses them at once with
 * InvalidTaskIdError (never a timeout), and a good waiter next to them is still delivered.
 */
import { randomUUID } from 'node:crypto';
import { firstValueFrom, toArray } from 'rxjs';
import {
  createResultBackend,
  InvalidTaskIdError,
  type ResultBackendModuleOptions,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import { pause, waitUntil } from './service-contract.js';

/** Long enough that a timeout can never be mistaken for a refusal. */
const LONG = 20_000;

/** Every entry point given `bad` rejects (or errors) with InvalidTaskIdError. */
export async function expectRefusedEverywhere(
  svc: ResultBackendService,
  bad: string,
): Promise<void> {
  const calls: [string, () => Promise<unknown>][] = [
    ['getTaskMeta', () => svc.getTaskMeta(bad)],
    ['reloadTaskResult', () => svc.reloadTaskResult(bad)],
    ['getMany', () => svc.getMany(['ok-id', bad])],
    ['waitFor', () => svc.waitFor(bad, { timeout: LONG })],
    ['watch', () => firstValueFrom(svc.watch(bad, { timeout: LONG }))],
    [
      'watchMany',
      () =>
        firstValueFrom(
          svc.watchMany(['ok-id', bad], { timeout: LONG }).pipe(toArray()),
        ),
    ],
    ['join', () => svc.join(['ok-id', bad], { timeout: LONG })],
    ['markAsDone', () => svc.markAsDone(bad, 1)],
    ['markAsStarted', () => svc.markAsStarted(bad)],
    ['forget', () => svc.forget(bad)],
    ['saveGroup', () => svc.saveGroup(bad, ['ok-id'])],
    ['saveGroup member', () => svc.saveGroup('ok-group', [bad])],
    ['restoreGroup', () => svc.restoreGroup(bad)],
  ];
  for (const [name, call] of calls) {
    const err: unknown = await call().then(
      () => new Error(`${name} accepted ${JSON.stringify(bad)}`),
      (e: unknown) => e,
    );
    if (!(err instanceof InvalidTaskIdError))
      throw new Error(`${name}(${JSON.stringify(bad)}) gave ${String(err)}`);
  }
  await waitUntil(() => svc.watching === 0); // nothing left watched, once settled
}

/** `waitFor(bad)` next to `waitFor(ok)`: bad refused, ok delivered once written 300 ms later. */
export async function expectGoodWaiterUnharmed(
  svc: ResultBackendService,
  bad: string,
  ok: string,
): Promise<void> {
  const badWait = svc.waitFor(bad, { timeout: LONG }).catch((e: unknown) => e);
  const goodWait = svc.waitFor<number>(ok, { timeout: LONG });
  await pause(300);
  await svc.markAsDone(ok, 42);
  await expect(goodWait).resolves.toBe(42);
  expect(await badWait).toBeInstanceOf(InvalidTaskIdError);
}

const LONE_HIGH = 'a\ud800b';

/** Ids no store can key: lone surrogates (no UTF-8 form), control characters, empty. */
export const EVERY_STORE_BAD: readonly string[] = [
  LONE_HIGH,
  'a\udc00b',
  'a\nb',
  '',
];

/**
 * Registers the bad-id contract on a service opened with `options()` (in beforeAll): every
 * entry point refuses {@link EVERY_STORE_BAD} and the store's own `badIds` at once, a good
 * waiter next to a bad one is delivered, and a well-formed surrogate pair is a good id.
 */
export function runBadIdContract(
  options: () => ResultBackendModuleOptions,
  badIds: readonly string[] = [],
): void {
  describe('bad-id contract', () => {
    let svc: ResultBackendService;
    beforeAll(async () => {
      svc = await createResultBackend(
        { pollIntervalMs: 50, ...options() },
        { logger: QUIET },
      );
    });
    afterAll(() => svc?.close());

    it.each([...EVERY_STORE_BAD, ...badIds])('refuses %j everywhere', (bad) =>
      expectRefusedEverywhere(svc, bad),
    );

    it.each([LONE_HIGH, ...badIds.slice(0, 1)])(
      'refuses waitFor(%j) at once and still delivers a good waiter',
      (bad) => expectGoodWaiterUnharmed(svc, bad, randomUUID()),
    );

    it('accepts a well-formed surrogate pair (an emoji)', async () => {
      const id = `emoji-\u{1F600}-${randomUUID()}`;
      await svc.markAsDone(id, 7);
      await expect(svc.waitFor(id, { timeout: 5000 })).resolves.toBe(7);
    });
  });
}

const QUIET = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
