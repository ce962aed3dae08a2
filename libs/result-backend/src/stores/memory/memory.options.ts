/** `cache+memory://`: in-process, for tests and eager mode. @publicApi */
export interface MemoryBackendConfig {
  /** Discriminant. */
  readonly kind: 'memory';
}
