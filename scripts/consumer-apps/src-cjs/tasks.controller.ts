import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import {
  responseAbortSignal,
  taskMetaView,
  type ClosableResponse,
  type TaskMetaView,
} from 'nestjs-celery-result-backend/http';

@Controller('tasks')
export class TasksController {
  constructor(private readonly results: ResultBackendService) {}

  @Get(':id')
  async meta(@Param('id') id: string): Promise<TaskMetaView> {
    return taskMetaView(await this.results.getTaskMeta(id));
  }

  @Get(':id/result')
  async result(
    @Param('id') id: string,
    @Query('timeout') timeout: string | undefined,
    @Res({ passthrough: true }) res: ClosableResponse,
  ): Promise<{ result: unknown }> {
    const signal = responseAbortSignal(res);
    const ms = Number(timeout ?? 5000);
    return { result: await this.results.waitFor(id, { timeout: ms, signal }) };
  }
}
