import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { describeS3 } from './s3.describer.js';
import { parseS3Url } from './s3-url.parser.js';
import { S3_EXAMPLE, type S3BackendConfig } from './s3.options.js';

/** `s3://bucket/base/path?endpoint_url=…` plus Celery's `s3_*` settings (bare name `s3`). @internal */
export const s3Backend: BackendDefinition<S3BackendConfig> = {
  kind: 's3',
  schemes: ['s3'],
  bareNames: { s3: () => 's3://' },
  example: S3_EXAMPLE,
  parseUrl: (url, settings) => parseS3Url(url, settings.s3),
  describe: describeS3,
  create: lazyFactory(
    async () => (await import('./s3.store.js')).createS3Store,
  ),
};
