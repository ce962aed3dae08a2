import { backendFor, type BackendConfig } from './backends.js';

/**
 * A URL-like, password-free description of a parsed backend for logs and health details,
 * e.g. `redis://:***@localhost:6379/0` or `s3://bucket/prefix?endpoint_url=http://minio:9000`.
 * Credentials show as `***`; S3 keys are never shown.
 * @publicApi
 */
export function describeBackend(config: BackendConfig): string {
  return backendFor(config).describe(config);
}
