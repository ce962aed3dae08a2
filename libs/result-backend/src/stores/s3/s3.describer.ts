import { MASK, withQuery } from '../../config/url-parts.describer.js';
import type { S3BackendConfig } from './s3.options.js';

function maskEndpoint(endpoint: string): string {
  return endpoint.replace(/\/\/[^/@]*@/, `//${MASK}@`);
}

/** `s3://bucket/base?endpoint_url=…&region=…`: never the keys, endpoint credentials masked. @internal */
export function describeS3(config: S3BackendConfig): string {
  return withQuery(`s3://${config.bucket}/${config.basePath}`, [
    ...(config.endpointUrl
      ? [`endpoint_url=${maskEndpoint(config.endpointUrl)}`]
      : []),
    ...(config.region ? [`region=${config.region}`] : []),
  ]);
}
