/** The HTTP status and body of each library error (pure mapping, no server). */
import {
  BackendDisabledError,
  BackendUnavailableError,
  InvalidTaskIdError,
  MalformedResultError,
  PayloadTooLargeError,
  ResultBackendClosedError,
  ResultBackendError,
  ResultTimeoutError,
  TaskFailedError,
  TaskRevokedError,
  UnsupportedOperationError,
} from '../errors/index.js';
import { resultBackendErrorResponse } from './error-response.mapper.js';
import { remoteException } from '../../../../test/support/remote-exception.js';

describe('resultBackendErrorResponse (status mapping of library errors)', () => {
  const failed = new TaskFailedError(
    remoteException('ValueError', { excArgs: ['x'], traceback: 'tb' }),
  );
  const revoked = new TaskRevokedError(
    remoteException('TaskRevokedError', {
      state: 'REVOKED',
      excModule: 'celery.exceptions',
      excArgs: ['revoked'],
    }),
  );
  it.each([
    [
      'InvalidTaskIdError',
      new InvalidTaskIdError('a/b', 'contains a path separator'),
      400,
    ],
    ['ResultTimeoutError', new ResultTimeoutError(['t'], 1000), 202],
    ['TaskFailedError', failed, 422],
    ['TaskRevokedError', revoked, 410],
    [
      'MalformedResultError',
      new MalformedResultError('celery-task-meta-t', 'bad JSON'),
      502,
    ],
    [
      'BackendUnavailableError',
      new BackendUnavailableError('redis://:***@h:6379/0', 'ECONNREFUSED'),
      503,
    ],
    ['BackendDisabledError', new BackendDisabledError('get'), 503],
    ['PayloadTooLargeError', new PayloadTooLargeError('k', 10, 5), 413],
    [
      'UnsupportedOperationError',
      new UnsupportedOperationError('incr', 's3'),
      501,
    ],
    ['ResultBackendClosedError', new ResultBackendClosedError(), 503],
    ['another library error', new ResultBackendError('boom'), 500],
  ])('%s -> %i', (_name, err, status) => {
    const out = resultBackendErrorResponse(err);
    expect(out.status).toBe(status);
    expect(out.body.statusCode).toBe(status);
  });

  it('hides the message of a non-library error', () => {
    expect(
      resultBackendErrorResponse(new Error('secret internals')).body,
    ).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
    });
  });
});
