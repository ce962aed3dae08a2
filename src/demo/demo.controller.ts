import {
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import {
  assertFileSafeName,
  validateId,
} from 'nestjs-celery-result-backend/codec';
import { parseDemoGroup, parseDemoTask } from './demo-request.util.js';
import { DemoTaskRunner } from './demo-task.runner.js';

/** Links to follow a started task. */
export interface DemoTaskView {
  readonly taskId: string;
  readonly links: {
    readonly meta: string;
    readonly result: string;
    readonly events: string;
  };
}

/** A started group and its members. */
export interface DemoGroupView {
  readonly groupId: string;
  readonly taskIds: readonly string[];
  readonly links: { readonly group: string };
}

/** Demo producer: starts simulated tasks that write into the store like Celery workers. */
@Controller('demo')
export class DemoController {
  constructor(
    private readonly runner: DemoTaskRunner,
    private readonly results: ResultBackendService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * `POST /demo/tasks` with an optional `{ "outcome": "success" | "failure" | "revoke", "steps": n,
   * "taskId": "…" }`: 202 with the task id and a `Location: /tasks/<id>` header.
   */
  @Post('tasks')
  @HttpCode(HttpStatus.ACCEPTED)
  async startTask(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<DemoTaskView> {
    const plan = parseDemoTask(body);
    if (plan.taskId !== undefined) {
      validateId(plan.taskId, 'task');
      if (this.results.kind === 'filesystem') assertFileSafeName(plan.taskId);
    }
    const taskId = await this.runner.startTask(plan);
    const path = `/tasks/${encodeURIComponent(taskId)}`;
    this.adapterHost.httpAdapter.setHeader(response, 'Location', path);
    return {
      taskId,
      links: { meta: path, result: `${path}/result`, events: `${path}/events` },
    };
  }

  /** `POST /demo/groups` with an optional `{ "size": n, "steps": n }`: 202 with the group id. */
  @Post('groups')
  @HttpCode(HttpStatus.ACCEPTED)
  async startGroup(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<DemoGroupView> {
    const { groupId, taskIds } = await this.runner.startGroup(
      parseDemoGroup(body),
    );
    const path = `/groups/${groupId}`;
    this.adapterHost.httpAdapter.setHeader(response, 'Location', path);
    return { groupId, taskIds, links: { group: path } };
  }
}
