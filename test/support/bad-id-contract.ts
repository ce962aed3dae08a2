/**
 * Ids a store cannot key: every entry point of the service refuses them at once with
 * InvalidTaskIdError (never a timeout), and a good waiter next to them is still delivered.
 */
import { firstValueFrom, toArray } from 'rxjs';
import {
  InvalidTaskIdError,
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
