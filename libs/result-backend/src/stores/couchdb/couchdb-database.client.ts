/**
 * "Create the database on first use", as Celery does: `PUT /<db>` once, where 201 (created)
 * and 412 (already exists) both mean ready. Forgotten again when the server reports the
 * database missing (a restarted in-memory server, or someone deleted it), so the next use
 * re-creates it.
 */
import {
  asUnavailable,
  couchErrorInfo,
  type CouchHttp,
} from './couchdb-http.client.js';

/** Whether a 404 says the database (not a document) is missing. @internal */
export function isMissingDatabase(err: unknown): boolean {
  const info = couchErrorInfo(err);
  if (info.status !== 404) return false;
  // CouchDB: reason "Database does not exist."; PouchDB/older CouchDB: "no_db_file".
  return /database does not exist|no_db_file/i.test(info.reason);
}

/**
 * Ensures the database exists, once per lifetime (or again after {@link forget}).
 * @internal
 */
export class CouchDatabase {
  private ready?: Promise<void>;

  constructor(private readonly http: CouchHttp) {}

  /** Resolve once the database exists (creating it if needed). */
  ensure(): Promise<void> {
    this.ready ??= this.create().catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /** Forget that the database exists (after a "database does not exist" answer). */
  forget(): void {
    this.ready = undefined;
  }

  /**
   * Run `op` once the database exists; when it fails because the database vanished,
   * re-create it and run `op` once more.
   */
  async run<T>(op: () => Promise<T>): Promise<T> {
    await this.ensure();
    try {
      return await op();
    } catch (err) {
      if (!isMissingDatabase(err)) throw err;
      this.forget();
      await this.ensure();
      return op();
    }
  }

  /** Like Celery (pycouchdb): `GET /<db>` first, `PUT /<db>` only when it is missing, so a
   * non-admin user can use an existing database. */
  private async create(): Promise<void> {
    try {
      await this.http.request({ method: 'GET' });
      return;
    } catch (err) {
      if (couchErrorInfo(err).status !== 404) {
        throw asUnavailable(
          this.http.description,
          `opening database "${this.http.database}"`,
          err,
        );
      }
    }
    try {
      await this.http.request({ method: 'PUT' });
    } catch (err) {
      if (couchErrorInfo(err).status === 412) return;
      throw asUnavailable(
        this.http.description,
        `creating database "${this.http.database}"`,
        err,
      );
    }
  }
}
