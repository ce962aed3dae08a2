/**
 * HTTP helpers for apps that serve Celery results: an exception filter mapping this library's
 * errors to statuses, a JSON view of a task's meta that leaks no internals, server-sent events
 * from a watch, and an abort signal for long-polls whose client went away.
 *
 * @example
 * import { ResultBackendExceptionFilter, taskEvents, taskMetaView } from 'nestjs-celery-result-backend/http';
 * @packageDocumentation
 */
export { ResultBackendExceptionFilter } from './result-backend-exception.filter.js';
export {
  resultBackendErrorResponse,
  type ResultBackendErrorResponse,
} from './error-response.mapper.js';
export {
  taskMetaView,
  exceptionView,
  type TaskMetaView,
  type ExceptionView,
  type ChildView,
} from './task-meta.view.js';
export { taskEvents, type TaskEventsOptions } from './task-events.stream.js';
export {
  responseAbortSignal,
  type ClosableResponse,
} from './response-abort-signal.util.js';
