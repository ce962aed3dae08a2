/**
 * The outage-log case of issue 17 §5: a real server is killed while `WATCHES` watches are
 * pending and restarted; the backend must write exactly one WARN (masked description, first
 * cause) and one LOG (with the duration) in between, whatever the number of its parts, and
 * deliver the watches after recovery. Used by `test/outage-log*.e2e-spec.ts`.
 */
import { randomUUID } from 'node:crypto';
import {
  createResultBackend,
  type ResultBackendService,
} from '../../libs/result-backend/src/index.js';
import type { Own } from './cleanup.js';
import { LevelLogger } from './level-logger.js';
import { eventually } from './redis-server.js';

/** A server a case kills and restarts. */
export interface OutageSubject {
  readonly url: string;
  /** Kill the server (or the part of it the backend `svc` uses, e.g. its subscriber's node). */
  kill(svc: ResultBackendService): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const WATCHES = 20;

/** Write `value` as soon as the backend accepts writes again (the restarted server may be empty). */
async function writeWhenBack(
  svc: ResultBackendService,
  id: string,
  value: string,
): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await svc.markAsDone(id, value);
      return;
    } catch (err) {
      if (i >= 200) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Kill the server under `WATCHES` pending watches, wait until each of `parts` reported down,
 * restart it, write the results, and check the lines written meanwhile. `mayParts` are parts
 * that may go down too, depending on timing (e.g. reads that a quick failover spares): the
 * first cause may be theirs, and each of them that went down must be up again.
 */
export async function outageLogsOnce(
  own: Own,
  subject: OutageSubject,
  parts: readonly string[],
  mayParts: readonly string[] = [],
): Promise<void> {
  const logger = new LevelLogger();
  const svc = own(
    await createResultBackend(
      { url: subject.url, pollIntervalMs: 100 },
      { logger },
    ),
  );
  const ids = Array.from({ length: WATCHES }, () => randomUUID());
  // Settled here, so a failure below reports itself, not the waits close() rejects.
  const waits = ids.map((id) =>
    svc.waitFor<string>(id, { timeout: 60_000 }).catch((e: unknown) => e),
  );
  await eventually(() => svc.watching === WATCHES);
  await svc.getTaskMeta(ids[0]); // connected
  await new Promise((r) => setTimeout(r, 300)); // subscriptions made, first reads done
  const from = logger.lines.length;
  const since = (): string[] => logger.lines.slice(from);
  await subject.kill(svc);
  // Every part went down (debug detail), so one line per part would show.
  for (const part of parts)
    await eventually(
      () =>
        since().some(
          (l) => l.startsWith('DEBUG') && l.includes(`: ${part} down`),
        ),
      20_000,
    );
  await subject.restart();
  await Promise.all(ids.map((id, i) => writeWhenBack(svc, id, `v${i}`)));
  expect(await Promise.all(waits)).toEqual(ids.map((_, i) => `v${i}`));
  await eventually(() => since().some((l) => l.startsWith('LOG')), 20_000);
  const loud = since().filter((l) => !l.startsWith('DEBUG'));
  const desc = svc.description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  expect(loud).toHaveLength(2);
  expect(loud[0]).toMatch(
    new RegExp(
      `^WARN Result store ${desc} unavailable \\((${[...parts, ...mayParts].join('|')}): .+\\); retrying`,
    ),
  );
  expect(loud[1]).toMatch(
    new RegExp(`^LOG Result store ${desc} reachable again after \\d+ ms$`),
  );
  const of = (part: string, what: string): number =>
    since().filter(
      (l) =>
        l.endsWith(`: ${part} ${what}`) || l.includes(`: ${part} ${what} (`),
    ).length;
  // Each part reported down once and up once, whatever the number of retries and polls.
  for (const part of parts)
    expect([part, of(part, 'down'), of(part, 'up')]).toEqual([part, 1, 1]);
  for (const part of mayParts)
    expect([part, of(part, 'up')]).toEqual([part, of(part, 'down')]);
}
