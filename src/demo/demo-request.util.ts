import { BadRequestException } from '@nestjs/common';

/** The outcomes a simulated task can end with. */
export const DEMO_OUTCOMES = ['success', 'failure', 'revoke'] as const;

/** How a simulated task ends. */
export type DemoOutcome = (typeof DEMO_OUTCOMES)[number];

/** A simulated task to run. */
export interface DemoTaskPlan {
  /** How it ends: SUCCESS, FAILURE (a `ValueError`) or REVOKED (`TaskRevokedError('terminated')`). */
  readonly outcome: DemoOutcome;
  /** Number of PROGRESS writes (1–20). */
  readonly steps: number;
  /** Id to use (so a client can open `/tasks/:id/events` first); default a new UUID. */
  readonly taskId?: string;
}

/** A simulated group to run. */
export interface DemoGroupPlan {
  /** Number of member tasks (1–10). */
  readonly size: number;
  /** Number of PROGRESS writes per member (1–20). */
  readonly steps: number;
}

/** Largest `steps` and group `size` accepted. */
export const DEMO_LIMITS = { steps: 20, size: 10 } as const;

/** Read `{ outcome?, steps?, taskId? }`; anything else is a 400. */
export function parseDemoTask(body: unknown): DemoTaskPlan {
  const input = asObject(body, ['outcome', 'steps', 'taskId']);
  const outcome = input.outcome ?? 'success';
  if (!DEMO_OUTCOMES.includes(outcome as DemoOutcome)) {
    throw new BadRequestException(
      'outcome must be "success", "failure" or "revoke"',
    );
  }
  const taskId = input.taskId;
  if (taskId !== undefined && (typeof taskId !== 'string' || taskId === ''))
    throw new BadRequestException('taskId must be a non-empty string');
  return {
    outcome: outcome as DemoOutcome,
    steps: count(input.steps, 'steps', 3, DEMO_LIMITS.steps),
    ...(taskId === undefined ? {} : { taskId }),
  };
}

/** Read `{ size?, steps? }`; anything else is a 400. */
export function parseDemoGroup(body: unknown): DemoGroupPlan {
  const input = asObject(body, ['size', 'steps']);
  return {
    size: count(input.size, 'size', 3, DEMO_LIMITS.size),
    steps: count(input.steps, 'steps', 2, DEMO_LIMITS.steps),
  };
}

function asObject(
  body: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestException('body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) {
    throw new BadRequestException(
      `unknown field(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`,
    );
  }
  return body as Record<string, unknown>;
}

function count(
  value: unknown,
  name: string,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > max
  ) {
    throw new BadRequestException(
      `${name} must be an integer from 1 to ${max}`,
    );
  }
  return value;
}
