import {
  Catch,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ResultBackendClosedError } from '../errors/result-backend-closed.error.js';
import { ResultBackendError } from '../errors/result-backend.error.js';
import { resultBackendErrorResponse } from './error-response.mapper.js';

/**
 * Answers every error of this library with a clear status code and JSON body (mapping in
 * {@link resultBackendErrorResponse}). Server-side problems (5xx) are logged as one line,
 * without stack. Errors thrown after the response started (a stream) just end the response.
 * @example
 * // app.module.ts, with DI:
 * providers: [{ provide: APP_FILTER, useClass: ResultBackendExceptionFilter }]
 * // or in main.ts:
 * app.useGlobalFilters(new ResultBackendExceptionFilter(app.get(HttpAdapterHost)));
 * @publicApi
 */
@Catch(ResultBackendError)
export class ResultBackendExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ResultBackendExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Reply with the mapped status and body (unless a response is already under way). */
  catch(error: ResultBackendError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const { status, body } = resultBackendErrorResponse(error);
    // a wait ended by shutdown is expected: answered 503, not logged as a server error
    if (status >= 500 && !(error instanceof ResultBackendClosedError))
      this.logger.error(`${error.name}: ${error.message}`);
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    httpAdapter.reply(response, body, status);
  }
}
