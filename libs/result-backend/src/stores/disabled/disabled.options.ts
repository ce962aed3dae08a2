/** `disabled://`: every call fails like Celery's DisabledBackend. @publicApi */
export interface DisabledBackendConfig {
  /** Discriminant. */
  readonly kind: 'disabled';
}
