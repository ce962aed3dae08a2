/**
 * `cleanup(expires)` for CouchDB. Celery keeps CouchDB results forever (its cleanup is a
 * no-op) and its document has no write time, so this uses the one time Celery does store:
 * `date_done` inside `value`, present for ready results (SUCCESS, FAILURE, REVOKED). Pending
 * results and group meta carry none and are never removed.
 */
import { couchStatus, type CouchHttp } from './couchdb-http.client.js';
import { readyDoneAt } from './couchdb-meta.decoder.js';

/** Documents per `_all_docs` page. */
const PAGE = 500;

interface Row {
  readonly id: string;
  readonly doc?: {
    readonly _id?: unknown;
    readonly _rev?: unknown;
    readonly value?: unknown;
  } | null;
}

/**
 * Delete, page by page with `_bulk_docs` (`_deleted` + the `_rev` just read), every document
 * whose `value` is a ready result done before `cutoff`. A document rewritten in between
 * conflicts and is kept. Returns how many were deleted.
 * @internal
 */
export async function cleanupCouchDatabase(
  http: CouchHttp,
  cutoff: Date,
): Promise<number> {
  let removed = 0;
  let after: string | undefined;
  for (;;) {
    let rows: readonly Row[];
    try {
      const qs: Record<string, unknown> = { include_docs: true, limit: PAGE };
      if (after !== undefined) Object.assign(qs, { startkey: after, skip: 1 });
      rows =
        (
          await http.request<{ rows?: Row[] }>({
            method: 'GET',
            path: '_all_docs',
            qs,
          })
        ).rows ?? [];
    } catch (err) {
      if (couchStatus(err) === 404) return removed; // no database: nothing to clean
      throw err;
    }
    if (rows.length === 0) return removed;
    after = rows[rows.length - 1]?.id;
    const expired = rows.flatMap((row) => {
      const doc = row.doc;
      if (!doc || row.id.startsWith('_design/') || typeof doc._rev !== 'string')
        return [];
      if (typeof doc.value !== 'string') return [];
      const done = readyDoneAt(doc.value);
      return done && done < cutoff
        ? [{ _id: row.id, _rev: doc._rev, _deleted: true }]
        : [];
    });
    if (expired.length > 0) {
      const res = await http.request<{ ok?: boolean; error?: string }[]>({
        method: 'POST',
        path: '_bulk_docs',
        body: { docs: expired },
      });
      removed += res.filter((r) => !r.error).length;
    }
    if (rows.length < PAGE) return removed;
  }
}
