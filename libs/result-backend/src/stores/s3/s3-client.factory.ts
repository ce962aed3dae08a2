/**
 * Builds the SDK v3 client from Celery's `s3_*` settings and checks, once at startup, that
 * some credentials exist (as Celery does with boto3).
 */
import type { S3BackendConfig } from './s3.options.js';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';

/** Timeouts of every S3 request, so a dead server never leaves a call hanging. @internal */
export const S3_TIMEOUTS = {
  /** TCP connect, ms. */
  connectionTimeout: 3_000,
  /** From sending the request to the response headers, ms. */
  requestTimeout: 15_000,
  /** Fail (not just warn, the SDK's default) when requestTimeout is exceeded. */
  throwOnRequestTimeout: true,
  /** Socket idle time, also while streaming a body, ms. */
  socketTimeout: 15_000,
} as const;

/**
 * SDK client settings for `config`. Without `s3_region` the region comes from `AWS_REGION` /
 * `AWS_DEFAULT_REGION`, else `us-east-1` (boto3's default for S3). Without keys the SDK's
 * default credential chain applies (env, shared files, SSO, container/instance roles).
 * @internal
 */
export function buildS3ClientConfig(config: S3BackendConfig): S3ClientConfig {
  const hasId = !!config.accessKeyId;
  const hasSecret = !!config.secretAccessKey;
  if (hasId !== hasSecret) {
    throw new ImproperlyConfiguredError(
      hasId ? 's3SecretAccessKey' : 's3AccessKeyId',
      'set both s3_access_key_id and s3_secret_access_key, or neither (to use the AWS default credential chain)',
    );
  }
  const region =
    config.region ||
    process.env.AWS_REGION ||
    process.env.AWS_DEFAULT_REGION ||
    'us-east-1';
  return {
    region,
    endpoint: config.endpointUrl || undefined,
    forcePathStyle: config.forcePathStyle,
    credentials:
      config.accessKeyId && config.secretAccessKey
        ? {
            accessKeyId: config.accessKeyId,
            secretAccessKey: config.secretAccessKey,
          }
        : undefined,
    // Checksums only where S3 requires them: a streamed body with aws-chunked framing would be
    // stored literally by some S3-compatible servers (s3rver), breaking byte compatibility.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    requestHandler: { ...S3_TIMEOUTS },
  };
}

/**
 * Resolve the client's credential provider once. No credentials anywhere fails like Celery's
 * `ImproperlyConfigured`, with the fix in the message.
 * @internal
 */
export async function assertS3Credentials(client: S3Client): Promise<void> {
  const provider: unknown = client.config.credentials;
  if (typeof provider !== 'function') return;
  try {
    const creds = (await (provider as () => Promise<unknown>)()) as
      { accessKeyId?: unknown } | undefined;
    if (creds && typeof creds.accessKeyId === 'string' && creds.accessKeyId)
      return;
  } catch (err) {
    throw new ImproperlyConfiguredError(
      's3AccessKeyId',
      `no AWS credentials found (${(err as Error).message}); set s3_access_key_id and s3_secret_access_key, ` +
        'or provide them through AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, AWS_PROFILE or an instance/container role',
      'accessKeyId: "AKIA...", secretAccessKey: "..."',
    );
  }
  throw new ImproperlyConfiguredError(
    's3AccessKeyId',
    'the AWS credential chain returned no access key id',
  );
}
