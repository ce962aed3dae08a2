import { ChordError } from '../errors/chord.error.js';
import { UnsupportedOperationError } from '../errors/unsupported-operation.error.js';
import type {
  ChordPartOptions,
  ChordPartResult,
} from '../interfaces/store-result-options.interface.js';
import { decodeChordEntry, encodeChordEntry } from '../protocol/chord.js';
import type { KeyBuilder } from '../protocol/keys.js';
import {
  isPropagateState,
  isReadyState,
  type TaskStatus,
} from '../protocol/states.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import type { ResultStore } from '../stores/result-store.interface.js';

/** One header member's return, as `onChordPartReturn` receives it. @internal */
export interface ChordPartReturn {
  readonly groupId: string;
  readonly taskId: string;
  readonly state: TaskStatus;
  readonly result: unknown;
  readonly opts: ChordPartOptions;
}

/** What the coordinator needs from the service. @internal */
export interface ChordHost {
  saveGroup(groupId: string, memberIds: readonly string[]): Promise<void>;
  restoreGroup(
    groupId: string,
  ): Promise<{ groupId: string; results: { id: string }[] } | null>;
  deleteGroup(groupId: string): Promise<void>;
  getMany(ids: readonly string[]): Promise<Map<string, TaskMeta>>;
}

/**
 * Celery's chord strategies, chosen by what the store can do: django-celery-results'
 * `ChordCounter` rows (atomic; without a counter row, polling), Redis `.j/.t/.s` (atomic), KV
 * `chord-unlock-<gid>` INCR (atomic), and polling the header members (filesystem, S3,
 * CouchDB; like `celery.chord_unlock`, not exactly-once).
 * @internal
 */
export class ChordCoordinator {
  constructor(
    private readonly host: ChordHost,
    private readonly store: ResultStore,
    private readonly keys: KeyBuilder,
    private readonly expires: number | null,
    private readonly codec: {
      /** Write `.j` members with kombu envelopes (target Celery 5.3+). */
      kombuTagged: boolean;
      /** Decode envelopes of `.j` members, as every other read. */
      decodeEnvelopes: boolean;
    } = { kombuTagged: false, decodeEnvelopes: true },
  ) {}

  incr(key: string): Promise<number> {
    if (!this.store.incr)
      throw new UnsupportedOperationError('incr', this.store.kind);
    return this.store.incr(key, this.expires);
  }

  async apply(groupId: string, memberIds: readonly string[]): Promise<void> {
    if (this.store.chordRows) {
      await this.store.chordRows.create(groupId, memberIds, memberIds.length);
      return;
    }
    if (this.store.chord) {
      await this.store.chord.setSize(
        this.keys.groupKey(groupId),
        memberIds.length,
        this.expires,
      );
      return;
    }
    if (this.store.incr)
      await this.store.set(
        this.keys.chordKey(groupId),
        '0',
        this.expires,
        false,
      );
    await this.host.saveGroup(groupId, memberIds);
  }

  async partReturn(part: ChordPartReturn): Promise<ChordPartResult> {
    if (this.store.chordRows) {
      const left = await this.store.chordRows.decrement(part.groupId);
      if (left) {
        if (left.remaining !== 0) return { complete: false };
        return this.collect(left.memberIds);
      }
    }
    if (this.store.chord) return this.redisPart(part);
    if (this.store.incr) return this.counterPart(part.groupId, part.opts);
    return this.pollPart(part.groupId, part.opts);
  }

  private async redisPart({
    groupId,
    taskId,
    state,
    result,
    opts,
  }: ChordPartReturn): Promise<ChordPartResult> {
    const chord = this.store.chord;
    if (!chord) throw new UnsupportedOperationError('chord', this.store.kind);
    const key = this.keys.groupKey(groupId);
    const member = encodeChordEntry(taskId, state, result, this.codec);
    const { done, size, extra } = await chord.addPart(
      key,
      member,
      opts.index ?? Infinity,
      this.expires,
    );
    const total = (size ?? opts.size ?? Number.NaN) + extra;
    if (done !== total) return { complete: false };
    const entries = (await chord.parts(key)).map((m) =>
      decodeChordEntry(m, `${key}.j`, this.codec),
    );
    await chord.clear(key);
    const failed = entries.find((e) => isPropagateState(e.state));
    return {
      complete: true,
      results: entries.map((e) => e.result),
      ...(failed ? { failed } : {}),
    };
  }

  private async counterPart(
    groupId: string,
    opts: ChordPartOptions,
  ): Promise<ChordPartResult> {
    const ids = await this.memberIds(groupId, opts);
    const value = await this.incr(this.keys.chordKey(groupId));
    if (value !== (opts.size ?? ids.length)) return { complete: false };
    const done = await this.collect(ids);
    await Promise.all([
      this.host.deleteGroup(groupId),
      this.store.delete(this.keys.chordKey(groupId)),
    ]);
    return done;
  }

  private async pollPart(
    groupId: string,
    opts: ChordPartOptions,
  ): Promise<ChordPartResult> {
    const ids = await this.memberIds(groupId, opts);
    const metas = await this.host.getMany(ids);
    if (![...metas.values()].every((m) => isReadyState(m.status)))
      return { complete: false };
    return this.collect(ids, metas);
  }

  private async memberIds(
    groupId: string,
    opts: ChordPartOptions,
  ): Promise<readonly string[]> {
    if (opts.memberIds) return opts.memberIds;
    const group = await this.host.restoreGroup(groupId);
    if (!group)
      throw new ChordError(groupId, `GroupResult ${groupId} no longer exists`);
    return group.results.map((r) => r.id);
  }

  private async collect(
    ids: readonly string[],
    known?: Map<string, TaskMeta>,
  ): Promise<ChordPartResult> {
    const metas = known ?? (await this.host.getMany(ids));
    const ordered = ids.map((id) => metas.get(id) as TaskMeta);
    const bad = ordered.find((m) => isPropagateState(m.status));
    return {
      complete: true,
      results: ordered.map((m) => m.result),
      ...(bad
        ? {
            failed: {
              taskId: bad.taskId,
              state: bad.status,
              result: bad.result,
            },
          }
        : {}),
    };
  }
}
