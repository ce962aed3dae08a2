import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Query,
  Res,
  Sse,
  type MessageEvent,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  responseAbortSignal,
  type ClosableResponse,
  type TaskMetaView,
} from 'nestjs-celery-result-backend/http';
import type { Observable } from 'rxjs';
import { TaskIdPipe } from '../common/result-id.pipe.js';
import { TimeoutPipe } from '../common/timeout.pipe.js';
import { TasksService, type TaskResultView } from './tasks.service.js';

/**
 * Read Celery task results over HTTP:
 * `GET /tasks/:id` (meta), `GET /tasks/:id/result?timeout=s` (long-poll),
 * `GET /tasks/:id/events` (SSE), `DELETE /tasks/:id` (forget).
 */
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The task's meta: 200 (PENDING when unknown). */
  @Get(':id')
  meta(@Param('id', TaskIdPipe) id: string): Promise<TaskMetaView> {
    return this.tasks.meta(id);
  }

  /**
   * Long-poll for the result: 200 SUCCESS, 202 not ready at the timeout, 422 FAILURE,
   * 410 REVOKED, 400 bad id or timeout.
   */
  @Get(':id/result')
  async result(
    @Param('id', TaskIdPipe) id: string,
    @Query('timeout', TimeoutPipe) timeoutMs: number,
    @Res({ passthrough: true }) response: ClosableResponse,
  ): Promise<TaskResultView> {
    const signal = responseAbortSignal(response);
    const view = await this.tasks.result(id, timeoutMs, signal);
    if (!view.ready) {
      const { httpAdapter } = this.adapterHost;
      httpAdapter.status(response, HttpStatus.ACCEPTED);
      httpAdapter.setHeader(response, 'Retry-After', '1');
    }
    return view;
  }

  /** Server-sent events: one per state change, ending after SUCCESS, FAILURE or REVOKED. */
  @Sse(':id/events')
  events(
    @Param('id', TaskIdPipe) id: string,
  ): Promise<Observable<MessageEvent>> {
    return this.tasks.events(id);
  }

  /** Forget the result: 204. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  forget(@Param('id', TaskIdPipe) id: string): Promise<void> {
    return this.tasks.forget(id);
  }
}
