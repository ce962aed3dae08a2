/** Default time a health ping may take before the backend is reported down, in ms. @publicApi */
export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;

/** Options of `ResultBackendHealthIndicator.isHealthy()`. @publicApi */
export interface ResultBackendHealthOptions {
  /** Instance to check, as registered with `ResultBackendModule.forRoot({ name })` (default: the default instance). */
  name?: string;
  /** Report `down` when the ping takes longer than this, in ms (default 1000). */
  timeoutMs?: number;
}

/** Details reported with an `up` result. @publicApi */
export interface ResultBackendHealthDetails extends Record<string, unknown> {
  /** Instance name (`default` unless named). */
  instance: string;
  /** Store kind: `redis`, `filesystem`, `s3` … */
  backend: string;
  /** Masked description of the store (never a password). */
  description: string;
  /** Round-trip time of the ping, in ms. */
  latencyMs: number;
}

/** Details reported with a `down` result. @publicApi */
export interface ResultBackendHealthDownDetails extends Record<
  string,
  unknown
> {
  /** Instance name (`default` unless named). */
  instance: string;
  /** Store kind, when the instance exists. */
  backend?: string;
  /** Masked description of the store, when the instance exists. */
  description?: string;
  /** Time until the ping failed or timed out, in ms, when it was tried. */
  latencyMs?: number;
  /** Why the backend is down (masked: never a password). */
  message: string;
}
