import { PayloadTooLargeError } from '../errors/payload-too-large.error.js';
import { RemoteTaskError } from '../errors/remote-task.error.js';
import type { StoreResultOptions } from '../interfaces/store-result-options.interface.js';
import type { CeleryVersion } from '../protocol/celery-version.js';
import { encodeGroupMeta } from '../protocol/group-meta.js';
import type { KeyBuilder } from '../protocol/keys.js';
import type { IdCheck } from './id-check.guard.js';
import type { ResultNode } from '../protocol/result-tuple.js';
import { isExceptionState, type TaskStatus } from '../protocol/states.js';
import { encodeTaskMeta } from '../protocol/index.js';
import type {
  ResultStore,
  WriteOutcome,
} from '../stores/result-store.interface.js';

/**
 * The write path: encode Celery's bytes, enforce the payload limit, and write with the
 * configured expiry; task metas go through the store's "SUCCESS is final" guard.
 * @internal
 */
export class ResultWriter {
  constructor(
    private readonly store: ResultStore,
    private readonly keys: KeyBuilder,
    private readonly options: {
      expires: number | null;
      maxPayloadBytes: number;
      celeryVersion: CeleryVersion;
      timezone: string;
    },
    private readonly ids: IdCheck,
  ) {}

  /**
   * Celery's `store_result`: the task meta under `celery-task-meta-<id>`, in the forms of the
   * configured `celeryVersion`.
   */
  storeTask(
    taskId: string,
    result: unknown,
    state: TaskStatus,
    opts: StoreResultOptions,
  ): Promise<WriteOutcome> {
    this.ids.task(taskId);
    const text = encodeTaskMeta(
      {
        taskId,
        status: state,
        result,
        traceback:
          opts.traceback !== undefined
            ? opts.traceback
            : isExceptionState(state)
              ? tracebackOf(result)
              : null,
        children: opts.children ?? null,
        groupId: opts.groupId,
        parentId: opts.parentId,
        request: opts.request,
      },
      {
        celeryVersion: this.options.celeryVersion,
        timezone: this.options.timezone,
      },
    );
    return this.write(this.keys.taskKey(taskId), text, true);
  }

  /** `GroupResult.save()`: `{"result": <group tuple>}` under `celery-taskset-meta-<gid>`. */
  async saveGroup(
    groupId: string,
    members: readonly (string | ResultNode)[],
  ): Promise<void> {
    this.ids.group(groupId);
    members.forEach((m) => this.ids.task(typeof m === 'string' ? m : m.id));
    await this.write(
      this.keys.groupKey(groupId),
      encodeGroupMeta(groupId, members),
      false,
    );
  }

  private write(
    key: string,
    text: string,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    const size = Buffer.byteLength(text);
    if (size > this.options.maxPayloadBytes)
      throw new PayloadTooLargeError(key, size, this.options.maxPayloadBytes);
    return this.store.set(key, text, this.options.expires, guardSuccess);
  }
}

/**
 * The traceback written with an exception result when the caller gives none: a remote error
 * (read from a store) keeps its own traceback, `null` included; a local JS `Error` writes its
 * `stack` (documented on `markAsFailure`); any other value writes `null`.
 */
function tracebackOf(result: unknown): string | null {
  if (result instanceof RemoteTaskError) return result.traceback;
  if (result instanceof Error && typeof result.stack === 'string')
    return result.stack;
  return null;
}
