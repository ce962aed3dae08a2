import { RemoteTaskError } from '../errors/remote-task.error.js';
import { TaskFailedError } from '../errors/task-failed.error.js';
import { TaskRevokedError } from '../errors/task-revoked.error.js';
import { toRemoteError } from './exceptions.js';
import { remoteException } from '../../../../test/support/remote-exception.js';
import {
  errorToExceptionDict,
  JS_EXCEPTION_MODULE,
} from './exception-dict.encoder.js';

describe('toRemoteError', () => {
  it('rebuilds FAILURE and RETRY as TaskFailedError, REVOKED as TaskRevokedError', () => {
    const dict = {
      exc_type: 'ValueError',
      exc_message: ['bad', 2],
      exc_module: 'builtins',
    };
    const err = toRemoteError('t1', 'FAILURE', dict, 'Traceback...\n');
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err).toMatchObject({
      taskId: 't1',
      state: 'FAILURE',
      excType: 'ValueError',
      excModule: 'builtins',
      excArgs: ['bad', 2],
      traceback: 'Traceback...\n',
    });
    expect(toRemoteError('t1', 'RETRY', dict, null)).toBeInstanceOf(
      TaskFailedError,
    );
    const revoked = toRemoteError(
      't2',
      'REVOKED',
      {
        exc_type: 'TaskRevokedError',
        exc_message: ['revoked'],
        exc_module: 'celery.exceptions',
      },
      null,
    );
    expect(revoked).toBeInstanceOf(TaskRevokedError);
    expect(revoked?.pythonType).toBe('celery.exceptions.TaskRevokedError');
  });

  it('gives FAILURE and REVOKED without a stored exception an error, never null', () => {
    // Celery 5.2.6, 5.5.2 and 5.6.3 get() raise "RuntimeError: No active exception to reraise".
    const shown = ['null', 'missing', '{}', '[]', '0', '""', 'false', '0'];
    [null, undefined, {}, [], 0, '', false, 0n].forEach((falsy, i) => {
      const failed = toRemoteError('failnull', 'FAILURE', falsy, 'tb');
      expect(failed instanceof TaskFailedError && failed.traceback).toBe('tb');
      expect([failed?.excType, failed?.excModule, failed?.excArgs]).toEqual([
        'Exception',
        null,
        [],
      ]);
      expect(failed?.message).toBe(
        `Task failnull is FAILURE but no exception was stored (result: ${shown[i]}); Celery's get() raises here too`,
      );
      const revoked = toRemoteError('r', 'REVOKED', falsy, null);
      expect(revoked).toBeInstanceOf(TaskRevokedError);
      expect(revoked?.message).toContain('Task r is REVOKED but no exception');
    });
  });

  it('returns null for RETRY with a falsy result and for non-exception states', () => {
    for (const falsy of [null, undefined, {}, [], 0, '', false])
      expect(toRemoteError('t', 'RETRY', falsy, null)).toBeNull();
    expect(
      toRemoteError(
        't',
        'SUCCESS',
        { exc_type: 'ValueError', exc_message: [] },
        null,
      ),
    ).toBeNull();
    expect(
      toRemoteError(
        't',
        'PROGRESS',
        { exc_type: 'ValueError', exc_message: [] },
        null,
      ),
    ).toBeNull();
  });

  it('takes a legacy string message as the single arg; a missing one as [""] like Celery', () => {
    expect(
      toRemoteError(
        't',
        'FAILURE',
        { exc_type: 'Foo', exc_message: 'legacy' },
        null,
      )?.excArgs,
    ).toEqual(['legacy']);
    expect(
      toRemoteError(
        't',
        'FAILURE',
        { exc_type: 'Foo', exc_message: { a: 1 } },
        null,
      )?.excArgs,
    ).toEqual([{ a: 1 }]);
    const noMessage = toRemoteError('t', 'FAILURE', { exc_type: 'Foo' }, null);
    expect(noMessage?.excArgs).toEqual(['']);
    expect(noMessage?.excModule).toBeNull();
  });

  it('never throws on garbage: a generic Exception carrying the stored value', () => {
    expect(toRemoteError('t', 'FAILURE', 'boom', null)).toMatchObject({
      excType: 'Exception',
      excModule: null,
      excArgs: ['boom'],
    });
    expect(
      toRemoteError('t', 'FAILURE', { exc_message: ['x'] }, null),
    ).toMatchObject({
      excType: 'Exception',
      excArgs: [{ exc_message: ['x'] }],
    });
    expect(toRemoteError('t', 'FAILURE', [1, 2], null)).toMatchObject({
      excType: 'Exception',
      excArgs: [[1, 2]],
    });
    expect(
      toRemoteError('t', 'FAILURE', { exc_type: 5, exc_message: [] }, null)
        ?.excType,
    ).toBe('Exception');
  });

  it('treats process-control and non-exception names as plain data', () => {
    const err = toRemoteError(
      't',
      'FAILURE',
      { exc_type: 'SystemExit', exc_message: [3], exc_module: 'builtins' },
      null,
    );
    expect(err).toBeInstanceOf(TaskFailedError);
    expect(err?.excType).toBe('SystemExit');
    const os = toRemoteError(
      't',
      'FAILURE',
      { exc_type: 'system', exc_message: 'rm -rf /', exc_module: 'os' },
      null,
    );
    expect(os).toMatchObject({
      excType: 'system',
      excModule: 'os',
      excArgs: ['rm -rf /'],
    });
  });
});

describe('errorToExceptionDict', () => {
  it('keeps a remote error exactly, so results copy between backends', () => {
    const remote = new TaskFailedError(
      remoteException('Outer.NestedError', {
        excModule: 'vectortasks',
        excArgs: ['m', 42, null],
      }),
    );
    expect(errorToExceptionDict(remote)).toEqual({
      exc_type: 'Outer.NestedError',
      exc_message: ['m', 42, null],
      exc_module: 'vectortasks',
    });
    const noModule = new RemoteTaskError(
      remoteException('X', { excModule: null }),
    );
    expect(errorToExceptionDict(noModule).exc_module).toBeNull();
  });

  it('maps JS errors to Python-looking exceptions', () => {
    expect(errorToExceptionDict(new Error('boom'))).toEqual({
      exc_type: 'Exception',
      exc_message: ['boom'],
      exc_module: 'builtins',
    });
    expect(errorToExceptionDict(new TypeError('t'))).toEqual({
      exc_type: 'TypeError',
      exc_message: ['t'],
      exc_module: 'builtins',
    });
    expect(errorToExceptionDict(new RangeError('r')).exc_type).toBe(
      'ValueError',
    );
    expect(errorToExceptionDict(new SyntaxError('s')).exc_type).toBe(
      'ValueError',
    );
    expect(errorToExceptionDict(new Error()).exc_message).toEqual([]);
    class NotFoundException extends Error {
      override name = 'NotFoundException';
    }
    expect(errorToExceptionDict(new NotFoundException('gone'))).toEqual({
      exc_type: 'NotFoundException',
      exc_message: ['gone'],
      exc_module: JS_EXCEPTION_MODULE,
    });
    const timeout = new Error('slow');
    timeout.name = 'TimeoutError';
    expect(errorToExceptionDict(timeout).exc_module).toBe('builtins');
  });

  it('never produces a builtin process-control exception from a JS error name', () => {
    const exit = new Error('bye');
    exit.name = 'SystemExit';
    expect(errorToExceptionDict(exit)).toEqual({
      exc_type: 'SystemExit',
      exc_message: ['bye'],
      exc_module: JS_EXCEPTION_MODULE,
    });
  });

  it('wraps non-errors and replaces args JSON cannot carry, one by one', () => {
    expect(errorToExceptionDict('oops')).toEqual({
      exc_type: 'Exception',
      exc_message: ['oops'],
      exc_module: 'builtins',
    });
    expect(errorToExceptionDict(undefined).exc_message).toEqual(['undefined']);
    const remote = new TaskFailedError(
      remoteException('X', {
        excModule: 'm',
        excArgs: [1, new Set([1, 2]), 'ok', Symbol('s')],
      }),
    );
    expect(errorToExceptionDict(remote).exc_message).toEqual([
      1,
      '{1, 2}',
      'ok',
      'Symbol(s)',
    ]);
  });
});
