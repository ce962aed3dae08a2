/**
 * Issue 13's faults, replayed on every store the service contract runs on (it calls
 * `runFaultContract` with the same options): failure values Celery can read, tracebacks that
 * are copied and never invented, a reload that refreshes the cache, and one depth limit.
 * Its own Nest app, with the result cache on.
 */
import { Test, type TestingModule } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import {
  JsonDepthError,
  MalformedResultError,
  ResultBackendModule,
  ResultBackendService,
  type ResultBackendModuleOptions,
  type TaskStatus,
} from '../../libs/result-backend/src/index.js';

/** A stored document, in Celery's field order. */
const doc = (
  id: string,
  status: string,
  result: string,
  traceback = 'null',
): string =>
  `{"status": "${status}", "result": ${result}, "traceback": ${traceback}, "children": [], "date_done": "2024-01-01T00:00:00.000000", "task_id": "${id}"}`;

/** `n` nested lists, as text and as a value. */
const deepText = (n: number): string => '['.repeat(n) + ']'.repeat(n);
const deepValue = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
};

/** Non-error failure values and the `result` text Celery must find for each. */
export const NON_ERROR_FAILURES: readonly (readonly [unknown, string])[] = [
  [
    'plain string thrown',
    '{"exc_type": "Exception", "exc_message": ["plain string thrown"], "exc_module": "builtins"}',
  ],
  [
    { code: 5, why: 'x' },
    '{"exc_type": "Exception", "exc_message": [{"code": 5, "why": "x"}], "exc_module": "builtins"}',
  ],
  [
    42,
    '{"exc_type": "Exception", "exc_message": [42], "exc_module": "builtins"}',
  ],
  [
    null,
    '{"exc_type": "Exception", "exc_message": [null], "exc_module": "builtins"}',
  ],
  [
    undefined,
    '{"exc_type": "Exception", "exc_message": ["undefined"], "exc_module": "builtins"}',
  ],
  [
    [1, 'two'],
    '{"exc_type": "Exception", "exc_message": [[1, "two"]], "exc_module": "builtins"}',
  ],
  [
    { exc_type: 'KeyError', exc_message: ['k'], exc_module: 'builtins' },
    '{"exc_type": "KeyError", "exc_message": ["k"], "exc_module": "builtins"}',
  ],
];

/** Registers the fault cases. `options()` is called in beforeAll (after servers start). */
export function runFaultContract(
  options: () => ResultBackendModuleOptions,
  pollIntervalMs = 50,
  /** SQL row store: a document that is not valid JSON is refused when written. */
  rows = false,
): void {
  describe('issue 13 faults', () => {
    let moduleRef: TestingModule;
    let svc: ResultBackendService;
    const id = (): string => randomUUID();
    const put = (t: string, text: string): Promise<unknown> =>
      svc.store.set(svc.keys.taskKey(t), text, null, false);

    beforeAll(async () => {
      moduleRef = await Test.createTestingModule({
        imports: [
          ResultBackendModule.forRoot({
            pollIntervalMs,
            ...options(),
            resultCacheMax: 100,
          }),
        ],
      }).compile();
      await moduleRef.init();
      svc = moduleRef.get(ResultBackendService);
    });

    afterAll(async () => {
      await moduleRef?.close();
    });

    it.each(['FAILURE', 'RETRY', 'REVOKED'] as TaskStatus[])(
      'stores non-error %s values as exception dicts Celery reads',
      async (state) => {
        for (const [value, stored] of NON_ERROR_FAILURES) {
          const t = id();
          if (state === 'RETRY' && (value === null || value === undefined)) {
            await svc.storeResult(t, value, state);
            expect((await svc.reloadTaskResult(t)).raw).toContain(
              '"result": null, "traceback": null',
            );
            continue;
          }
          await svc.storeResult(t, value, state);
          const meta = await svc.reloadTaskResult(t);
          expect(meta.raw).toContain(
            `{"status": "${state}", "result": ${stored}, "traceback": null, `,
          );
          expect(meta.error?.excType).toBe(
            stored.includes('KeyError') ? 'KeyError' : 'Exception',
          );
        }
      },
    );

    it('copies a remote failure with its own traceback, null included', async () => {
      const orig = id();
      const copy = id();
      const keyError =
        '{"exc_type": "KeyError", "exc_message": ["k"], "exc_module": "builtins"}';
      await put(orig, doc(orig, 'FAILURE', keyError));
      await svc.markAsFailure(copy, (await svc.getTaskMeta(orig)).error);
      const copied = await svc.getTaskMeta(copy);
      expect(copied.traceback).toBeNull();
      expect(copied.raw).toContain(
        `"result": ${keyError}, "traceback": null, `,
      );
      const tb = "Traceback (most recent call last):\\n  KeyError: 'k'\\n";
      await put(orig, doc(orig, 'FAILURE', keyError, `"${tb}"`));
      await svc.markAsFailure(copy, (await svc.reloadTaskResult(orig)).error);
      expect((await svc.getTaskMeta(copy)).traceback).toBe(
        "Traceback (most recent call last):\n  KeyError: 'k'\n",
      );
    });

    it('writes a JS stack only for a local Error, and never when told not to', async () => {
      const err = new TypeError('local');
      const t = id();
      await svc.markAsFailure(t, err);
      expect((await svc.getTaskMeta(t)).traceback).toBe(err.stack);
      const quiet = id();
      await svc.markAsFailure(quiet, err, { traceback: null });
      expect((await svc.getTaskMeta(quiet)).traceback).toBeNull();
      const plain = id();
      await svc.markAsFailure(plain, { stack: 'not an error', traceback: 'x' });
      expect((await svc.getTaskMeta(plain)).traceback).toBeNull();
    });

    it('reloadTaskResult leaves the cache holding what it read, PENDING included', async () => {
      const t = id();
      await svc.markAsDone(t, 'first');
      expect((await svc.getTaskMeta(t)).result).toBe('first'); // cached now
      await svc.store.delete(svc.keys.taskKey(t)); // the stored key expired
      expect((await svc.getTaskMeta(t)).result).toBe('first'); // cache answers
      expect((await svc.reloadTaskResult(t)).status).toBe('PENDING');
      expect((await svc.getTaskMeta(t)).status).toBe('PENDING');
      await put(t, doc(t, 'SUCCESS', '"second"'));
      expect((await svc.reloadTaskResult(t)).result).toBe('second');
      await svc.store.delete(svc.keys.taskKey(t));
      expect((await svc.getTaskMeta(t)).result).toBe('second');
      await put(t, doc(t, 'STARTED', '{"pid": 1}'));
      expect((await svc.reloadTaskResult(t)).status).toBe('STARTED');
      await put(t, doc(t, 'SUCCESS', '"third"'));
      expect((await svc.getTaskMeta(t)).result).toBe('third');
    });

    it('decodes 999 levels and refuses 1000, 5,000 and 12,000 with MalformedResultError', async () => {
      const t = id();
      await put(t, doc(t, 'SUCCESS', deepText(999)));
      expect((await svc.getTaskMeta(t)).result).toEqual(deepValue(999));
      for (const levels of [1000, 5000, 12_000]) {
        const d = id();
        if (rows) {
          const refused: unknown = await put(
            d,
            doc(d, 'SUCCESS', deepText(levels)),
          ).catch((e: unknown) => e);
          expect(refused).toBeInstanceOf(MalformedResultError);
          expect((refused as MalformedResultError).cause).toBeInstanceOf(
            JsonDepthError,
          );
          continue;
        }
        await put(d, doc(d, 'SUCCESS', deepText(levels)));
        const err: unknown = await svc.getTaskMeta(d).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(MalformedResultError);
        expect((err as MalformedResultError).cause).toBeInstanceOf(
          JsonDepthError,
        );
        expect((err as MalformedResultError).reason).toBe(
          'not valid JSON (JSON nested deeper than 1000 levels)',
        );
        await expect(svc.getMany([d])).rejects.toBeInstanceOf(
          MalformedResultError,
        );
      }
    });

    it('refuses to write a value nested too deeply, with a typed error, writing nothing', async () => {
      const t = id();
      await expect(svc.markAsDone(t, deepValue(12_000))).rejects.toEqual(
        new JsonDepthError(1000, 'stringify'),
      );
      await expect(svc.markAsDone(t, deepValue(1000))).rejects.toBeInstanceOf(
        JsonDepthError,
      );
      expect((await svc.reloadTaskResult(t)).status).toBe('PENDING');
      await svc.markAsDone(t, deepValue(999));
      expect((await svc.reloadTaskResult(t)).result).toEqual(deepValue(999));
    });
  });
}
