import { TaskFailedError } from '../errors/task-failed.error.js';
import { encodeChordEntry } from './chord.js';
import { toStoredExceptionResult } from './exception-dict.encoder.js';
import { encodeTaskMeta } from './task-meta.encoder.js';
import { remoteException } from '../../../../test/support/remote-exception.js';

/** `Exception(value)` as Celery's `prepare_exception` writes it. */
const wrapped = (arg: unknown) => ({
  exc_type: 'Exception',
  exc_message: [arg],
  exc_module: 'builtins',
});

describe('toStoredExceptionResult (Celery encode_result + prepare_exception)', () => {
  it.each(['FAILURE', 'RETRY', 'REVOKED'])(
    'wraps every non-error %s value as Exception(value)',
    (state) => {
      expect(toStoredExceptionResult(state, 'plain string thrown')).toEqual(
        wrapped('plain string thrown'),
      );
      expect(toStoredExceptionResult(state, { code: 5, why: 'x' })).toEqual(
        wrapped({ code: 5, why: 'x' }),
      );
      expect(toStoredExceptionResult(state, 42)).toEqual(wrapped(42));
      expect(toStoredExceptionResult(state, [1, 'a'])).toEqual(
        wrapped([1, 'a']),
      );
      expect(toStoredExceptionResult(state, '')).toEqual(wrapped(''));
      expect(toStoredExceptionResult(state, { exc_type: 5 })).toEqual(
        wrapped({ exc_type: 5 }),
      );
      expect(toStoredExceptionResult(state, new Set([1]))).toEqual(
        wrapped('{1}'),
      );
    },
  );

  it('wraps null and undefined for FAILURE and REVOKED, keeps null for RETRY', () => {
    for (const state of ['FAILURE', 'REVOKED']) {
      expect(toStoredExceptionResult(state, null)).toEqual(wrapped(null));
      expect(toStoredExceptionResult(state, undefined)).toEqual(
        wrapped('undefined'),
      );
    }
    expect(toStoredExceptionResult('RETRY', null)).toBeNull();
    expect(toStoredExceptionResult('RETRY', undefined)).toBeNull();
  });

  it('writes a dict with a string exc_type unchanged, and leaves other states alone', () => {
    const dict = { exc_type: 'KeyError', exc_message: ['k'], extra: 1 };
    expect(toStoredExceptionResult('FAILURE', dict)).toBe(dict);
    expect(toStoredExceptionResult('SUCCESS', 'plain')).toBe('plain');
    expect(toStoredExceptionResult('PROGRESS', null)).toBeNull();
  });

  it('is what the task meta and chord entry writers store', () => {
    expect(
      encodeTaskMeta({
        taskId: 't-str',
        status: 'FAILURE',
        result: 'plain string thrown',
        dateDone: null,
      }),
    ).toBe(
      '{"status": "FAILURE", "result": {"exc_type": "Exception", "exc_message": ["plain string thrown"], "exc_module": "builtins"}, "traceback": null, "children": null, "date_done": null, "task_id": "t-str"}',
    );
    expect(
      encodeTaskMeta({
        taskId: 't-null',
        status: 'REVOKED',
        result: null,
        dateDone: null,
      }),
    ).toBe(
      '{"status": "REVOKED", "result": {"exc_type": "Exception", "exc_message": [null], "exc_module": "builtins"}, "traceback": null, "children": null, "date_done": null, "task_id": "t-null"}',
    );
    expect(encodeTaskMeta({ taskId: 'r', status: 'RETRY', result: null })).toBe(
      '{"status": "RETRY", "result": null, "traceback": null, "children": null, "date_done": null, "task_id": "r"}',
    );
    expect(encodeChordEntry('p', 'FAILURE', { code: 5, why: 'x' })).toBe(
      '[1, "p", "FAILURE", {"exc_type": "Exception", "exc_message": [{"code": 5, "why": "x"}], "exc_module": "builtins"}]',
    );
  });

  it('copies a remote error with its own type, module and args', () => {
    const remote = new TaskFailedError(
      remoteException('KeyError', { taskId: 'o', excArgs: ['k'] }),
    );
    expect(toStoredExceptionResult('FAILURE', remote)).toEqual({
      exc_type: 'KeyError',
      exc_message: ['k'],
      exc_module: 'builtins',
    });
  });
});
