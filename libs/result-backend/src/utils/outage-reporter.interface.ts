/**
 * Where the parts of one backend instance (connections, subscriber, changes feed, LISTEN
 * client, the watch engine's reads) report outages. The library's implementation logs one
 * warning when the first part goes down and one line when the last part is up again.
 * @publicApi
 */
export interface OutageReporter {
  /** `part` (e.g. `connection`, `subscriber`) failed with `cause`; repeated calls are no-ops. */
  down(part: string, cause: unknown): void;
  /** `part` works (again); a no-op when it was not down. */
  up(part: string): void;
}
