import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  ResultBackendService,
  TaskStates,
  type StoreResultOptions,
} from 'nestjs-celery-result-backend';
import { randomUUID } from 'node:crypto';
import { demoConfig } from '../config/demo.config.js';
import type { DemoGroupPlan, DemoTaskPlan } from './demo-request.util.js';

/** Name the simulated tasks are stored under (Celery's extended `name` field). */
export const DEMO_TASK_NAME = 'demo.simulate';

/**
 * Simulates Celery workers: each task writes STARTED at once, then one PROGRESS
 * (`{current, total}`) per step and finally SUCCESS, FAILURE or REVOKED, `stepMs` apart, into the
 * same store the API reads. Timers are cleared and pending writes awaited on shutdown.
 */
@Injectable()
export class DemoTaskRunner implements OnModuleDestroy {
  private readonly logger = new Logger(DemoTaskRunner.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly writes = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly results: ResultBackendService,
    @Inject(demoConfig.KEY)
    private readonly config: ConfigType<typeof demoConfig>,
  ) {}

  /** Number of simulated tasks with a pending step (for tests and logs). */
  get active(): number {
    return this.timers.size;
  }

  /** Start one simulated task; resolves with its id once STARTED is stored. 409 if the id is taken. */
  async startTask(
    plan: DemoTaskPlan,
    opts: StoreResultOptions = {},
  ): Promise<string> {
    const taskId = plan.taskId ?? randomUUID();
    if (
      plan.taskId &&
      (await this.results.reloadTaskResult(taskId)).status !==
        TaskStates.PENDING
    ) {
      throw new ConflictException(
        `Task ${taskId} already has a result; pick another id or DELETE /tasks/${taskId}`,
      );
    }
    const request = {
      name: DEMO_TASK_NAME,
      args: [],
      kwargs: { outcome: plan.outcome, steps: plan.steps },
    };
    const options: StoreResultOptions = { ...opts, request };
    await this.results.markAsStarted(
      taskId,
      { pid: process.pid, hostname: 'demo@nestjs' },
      options,
    );
    this.step(taskId, plan, 1, options);
    return taskId;
  }

  /** Start a group of simulated tasks and save it; resolves with the group id and member ids. */
  async startGroup(
    plan: DemoGroupPlan,
  ): Promise<{ groupId: string; taskIds: string[] }> {
    const groupId = randomUUID();
    const taskIds = await Promise.all(
      Array.from({ length: plan.size }, () =>
        this.startTask({ outcome: 'success', steps: plan.steps }, { groupId }),
      ),
    );
    await this.results.saveGroup(groupId, taskIds);
    return { groupId, taskIds };
  }

  /** Stop every simulated task and wait for writes in flight. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.writes]);
  }

  private step(
    taskId: string,
    plan: DemoTaskPlan,
    n: number,
    opts: StoreResultOptions,
  ): void {
    this.later(async () => {
      if (n <= plan.steps) {
        await this.results.storeResult(
          taskId,
          { current: n, total: plan.steps },
          'PROGRESS',
          opts,
        );
        this.step(taskId, plan, n + 1, opts);
      } else if (plan.outcome === 'success') {
        await this.results.markAsDone(
          taskId,
          { steps: plan.steps, message: `processed ${plan.steps} items` },
          opts,
        );
      } else if (plan.outcome === 'revoke') {
        await this.results.markAsRevoked(taskId, 'terminated', opts);
      } else {
        await this.results.markAsFailure(taskId, simulatedError(plan.steps), {
          ...opts,
          traceback: traceback(plan.steps),
        });
      }
    }, taskId);
  }

  private later(write: () => Promise<void>, taskId: string): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const pending: Promise<void> = write()
        .catch((err: unknown) =>
          this.logger.warn(
            `Simulated task ${taskId} could not write: ${(err as Error).message}`,
          ),
        )
        .finally(() => this.writes.delete(pending));
      this.writes.add(pending);
    }, this.config.stepMs);
    this.timers.add(timer);
  }
}

function message(steps: number): string {
  return `simulated failure after ${steps} steps`;
}

/** The exception dict a Python worker would store for `raise ValueError(...)`. */
function simulatedError(steps: number): Record<string, unknown> {
  return {
    exc_type: 'ValueError',
    exc_message: [message(steps)],
    exc_module: 'builtins',
  };
}

function traceback(steps: number): string {
  return [
    'Traceback (most recent call last):',
    '  File "/app/demo/tasks.py", line 12, in simulate',
    '    raise ValueError(f"simulated failure after {steps} steps")',
    `ValueError: ${message(steps)}`,
    '',
  ].join('\n');
}
