/**
 * django-celery-results' chord counter (`django_celery_results_chordcounter`: `group_id`
 * unique, `sub_tasks` = JSON of the header's result tuples, `count` from the chord size down
 * to 0), as its `DatabaseBackend.apply_chord` and `on_chord_part_return` use it.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import {
  decodeResultTuple,
  encodeResultTuple,
  parseCeleryJson,
  stringifyCeleryJson,
} from '../../protocol/index.js';
import type { StoreChordRows } from '../result-store.interface.js';

/** The default table name (model `ChordCounter`). @internal */
export const DJANGO_CHORD_TABLE = 'django_celery_results_chordcounter';

type Query = (
  text: string,
  values: readonly unknown[],
) => Promise<{ rows: unknown[] }>;

/** `ChordCounter` rows over the store's query function. @internal */
export class DjangoChordRows implements StoreChordRows {
  constructor(
    private readonly query: Query,
    /** Quoted, schema-qualified table. */
    private readonly table: string,
  ) {}

  /** `ChordCounter.objects.create(group_id, sub_tasks=json.dumps(tuples), count=size)`; a re-apply resets it. */
  async create(
    groupId: string,
    memberIds: readonly string[],
    size: number,
  ): Promise<void> {
    const tuples = memberIds.map((id) =>
      encodeResultTuple({ id, parent: null }),
    );
    await this.query(
      `INSERT INTO ${this.table} (group_id, sub_tasks, count) VALUES ($1, $2, $3) ` +
        'ON CONFLICT (group_id) DO UPDATE SET sub_tasks = EXCLUDED.sub_tasks, count = EXCLUDED.count',
      [groupId, stringifyCeleryJson(tuples), size],
    );
  }

  /**
   * One atomic decrement (the row lock orders concurrent parts); the part that reaches
   * exactly zero deletes the row and gets the member ids.
   */
  async decrement(
    groupId: string,
  ): Promise<{ remaining: number; memberIds: string[] } | null> {
    const res = await this.query(
      `UPDATE ${this.table} SET count = count - 1 WHERE group_id = $1 RETURNING count, sub_tasks`,
      [groupId],
    );
    const row = res.rows[0] as { count: number; sub_tasks: string } | undefined;
    if (!row) return null;
    if (row.count !== 0) return { remaining: row.count, memberIds: [] };
    await this.query(
      `DELETE FROM ${this.table} WHERE group_id = $1 AND count <= 0`,
      [groupId],
    );
    try {
      const tuples = parseCeleryJson(row.sub_tasks) as unknown[];
      return {
        remaining: 0,
        memberIds: tuples.map((t) => decodeResultTuple(t).id),
      };
    } catch (err) {
      throw new MalformedResultError(
        `${this.table}:${groupId}`,
        'sub_tasks is not a list of result tuples',
        row.sub_tasks.slice(0, 200),
        { cause: err },
      );
    }
  }
}
