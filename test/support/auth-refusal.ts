/**
 * Wrong-credential checks shared by the Sentinel and Cluster auth specs: a password the test
 * servers require, a wrong one, and the check that every kind of call (one-shot, watch,
 * `waitFor`) fails at once with the permanent configuration error, never naming a password,
 * not even in its causes.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { firstValueFrom } from 'rxjs';
import {
  BackendUnavailableError,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import type { RecordingLogger } from './redis-server.js';

/** The servers' password; it must never show up in errors or logs. */
export const PASSWORD = 'right-Secret-1';
/** A wrong password; it must never show up in errors or logs either. */
export const WRONG = 'wrong-Secret-2';
/** The sentinels' own password (Sentinel specs); never in errors or logs. */
export const SENTINEL_PASSWORD = 'sentinel-Secret-3';
/** Every password above. */
const SECRETS = [PASSWORD, WRONG, SENTINEL_PASSWORD];

/** The rejection of `call` (an Error saying it succeeded when it did not reject). */
export function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => new Error('call succeeded'),
    (e: unknown) => e,
  );
}

/** Every kind of call fails with the permanent error naming `reply`, without a password. */
export async function expectRefused(
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
    // printed whole (console.error, pino, Sentry walk the causes): ioredis' AUTH args are redacted
    const printed = inspect(e, { depth: Infinity, showHidden: true });
    for (const secret of SECRETS) {
      expect(e.message).not.toContain(secret);
      expect(printed).not.toContain(secret);
    }
  }
}

/** No logged line names any of the passwords. */
export function expectNoPasswordLogged(logger: RecordingLogger): void {
  for (const line of logger.lines)
    for (const secret of SECRETS) expect(line).not.toContain(secret);
}
