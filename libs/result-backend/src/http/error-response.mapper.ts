import { HttpException, HttpStatus } from '@nestjs/common';
import {
  BackendDisabledError,
  BackendUnavailableError,
  InvalidTaskIdError,
  MalformedResultError,
  PayloadTooLargeError,
  RemoteTaskError,
  ResultBackendClosedError,
  ResultBackendError,
  ResultTimeoutError,
  TaskRevokedError,
  UnsupportedOperationError,
} from '../errors/index.js';
import { exceptionView } from './task-meta.view.js';

/** A status code and JSON body for an error. @publicApi */
export interface ResultBackendErrorResponse {
  /** HTTP status code. */
  readonly status: number;
  /** JSON body: `{ statusCode, error, message, …details }`, as Nest's own HTTP errors. */
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * The HTTP status and JSON body for an error: InvalidTaskIdError 400, ResultTimeoutError 202
 * (not ready yet), TaskFailedError 422 and TaskRevokedError 410 (with the task's exception and
 * traceback), MalformedResultError 502, BackendUnavailableError, BackendDisabledError and
 * ResultBackendClosedError 503, PayloadTooLargeError 413, UnsupportedOperationError 501, any
 * other library error 500. HttpExceptions keep their own status; anything else is a 500
 * without details (its message is never shown).
 * @publicApi
 */
export function resultBackendErrorResponse(
  err: unknown,
): ResultBackendErrorResponse {
  if (err instanceof HttpException) {
    const response = err.getResponse();
    const body =
      typeof response === 'object'
        ? (response as Record<string, unknown>)
        : { message: response };
    return {
      status: err.getStatus(),
      body: { statusCode: err.getStatus(), ...body },
    };
  }
  if (!(err instanceof ResultBackendError)) {
    return reply(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'Internal Server Error',
      'Internal server error',
    );
  }
  if (err instanceof InvalidTaskIdError) {
    return reply(HttpStatus.BAD_REQUEST, 'Bad Request', err.message, {
      reason: err.reason,
    });
  }
  if (err instanceof ResultTimeoutError) {
    return reply(HttpStatus.ACCEPTED, 'Not Ready', err.message, {
      ready: false,
      taskIds: err.taskIds,
    });
  }
  if (err instanceof RemoteTaskError) {
    const revoked = err instanceof TaskRevokedError;
    return reply(
      revoked ? HttpStatus.GONE : HttpStatus.UNPROCESSABLE_ENTITY,
      revoked ? 'Task Revoked' : 'Task Failed',
      err.message,
      {
        taskId: err.taskId,
        status: err.state,
        exception: exceptionView(err),
        traceback: err.traceback,
      },
    );
  }
  if (err instanceof MalformedResultError) {
    return reply(HttpStatus.BAD_GATEWAY, 'Bad Gateway', err.message, {
      key: err.key,
      reason: err.reason,
    });
  }
  if (
    err instanceof BackendUnavailableError ||
    err instanceof BackendDisabledError ||
    err instanceof ResultBackendClosedError
  ) {
    return reply(
      HttpStatus.SERVICE_UNAVAILABLE,
      'Service Unavailable',
      err.message,
    );
  }
  if (err instanceof PayloadTooLargeError) {
    return reply(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'Payload Too Large',
      err.message,
    );
  }
  if (err instanceof UnsupportedOperationError) {
    return reply(HttpStatus.NOT_IMPLEMENTED, 'Not Implemented', err.message);
  }
  return reply(
    HttpStatus.INTERNAL_SERVER_ERROR,
    'Internal Server Error',
    err.message,
  );
}

function reply(
  status: number,
  error: string,
  message: string,
  extra: Record<string, unknown> = {},
): ResultBackendErrorResponse {
  return { status, body: { statusCode: status, error, message, ...extra } };
}
