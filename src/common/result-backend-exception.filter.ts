import {
  Catch,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ResultBackendError } from '@app/result-backend';
import { errorResponse } from './error-response.util.js';

/**
 * Answers every error of the result backend library with a clear status code and JSON body
 * (mapping in {@link errorResponse}). Server-side problems (5xx) are logged.
 */
@Catch(ResultBackendError)
export class ResultBackendExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ResultBackendExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Reply with the mapped status and body (unless a response is already under way). */
  catch(error: ResultBackendError, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    const { status, body } = errorResponse(error);
    if (status >= 500) this.logger.error(`${error.name}: ${error.message}`);
    if (httpAdapter.isHeadersSent(response)) {
      httpAdapter.end(response);
      return;
    }
    httpAdapter.reply(response, body, status);
  }
}
