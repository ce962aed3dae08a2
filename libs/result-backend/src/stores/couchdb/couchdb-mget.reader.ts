/**
 * `mget` for CouchDB: `POST /<db>/_all_docs?include_docs=true` with `{"keys": [...]}`, in
 * chunks, rows matched to keys by position (CouchDB answers in the order of `keys`).
 */
import { decodeCouchDocument } from './couchdb-document.codec.js';
import {
  asUnavailable,
  couchStatus,
  type CouchHttp,
} from './couchdb-http.client.js';

/** Keys per `_all_docs` request. */
const CHUNK = 200;

/** One row: `{key, error: "not_found"}`, `{key, value: {deleted}, doc: null}` or `{key, doc}`. */
interface AllDocsRow {
  readonly key?: string;
  readonly error?: string;
  readonly doc?: unknown;
}

/**
 * Raw `value`s in the order of `keys`; `null` for missing, deleted or empty documents, and
 * for every key when the database does not exist yet.
 * @internal
 */
export async function fetchCouchDocuments(
  http: CouchHttp,
  keys: readonly string[],
): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    out.push(...(await fetchChunk(http, keys.slice(i, i + CHUNK))));
  }
  return out;
}

async function fetchChunk(
  http: CouchHttp,
  keys: readonly string[],
): Promise<(string | null)[]> {
  let rows: readonly AllDocsRow[];
  try {
    const res = await http.request<{ rows?: AllDocsRow[] }>({
      method: 'POST',
      path: '_all_docs',
      qs: { include_docs: true },
      body: { keys },
    });
    rows = res.rows ?? [];
  } catch (err) {
    if (couchStatus(err) === 404) return keys.map(() => null); // no database yet
    throw asUnavailable(http.description, 'reading many', err);
  }
  return keys.map((key, i) => {
    const row = rows[i];
    if (!row || row.key !== key || row.error || !row.doc) return null;
    const value = decodeCouchDocument(key, row.doc);
    return value === '' ? null : value;
  });
}
