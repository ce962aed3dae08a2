import {
  S3_EXAMPLE,
  type S3BackendConfig,
  type S3StoreOptions,
} from './s3.options.js';
import { settingError, urlError } from '../../config/config.errors.js';
import {
  parseQuery,
  splitUrl,
  splitUserinfo,
  unquote,
} from '../../config/url-parts.parser.js';

/** The setting named when no bucket is configured (Celery's `s3_bucket`). @internal */
export const S3_BUCKET_SETTING = 's3_bucket';

/** Default parallelism of the S3 store. @internal */
export const DEFAULT_S3_CONCURRENCY = 16;

const QUERY_KEYS = ['endpoint_url', 'region', 'force_path_style'];

interface S3UrlParts {
  bucket?: string;
  basePath?: string;
  endpointUrl?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
}

/**
 * `s3` / `s3://` (everything from the `s3_*` settings, as Celery) or our convenience form
 * `s3://[KEY:SECRET@]bucket/base/path?endpoint_url=…&region=…&force_path_style=true`: bucket
 * from the host (case kept), base path = the path after `bucket/`, percent-decoded, glued to
 * keys with no separator (`s3://b//x` gives `/x`). A value given both in the URL and in the
 * settings must be the same. `forcePathStyle` defaults to true when an endpoint URL is set.
 * @internal
 */
export function parseS3Url(
  url: string,
  settings: S3StoreOptions = {},
): S3BackendConfig {
  const secrets = [settings.secretAccessKey];
  const fromUrl = url.includes('://') ? parseS3Parts(url, secrets) : {};
  secrets.push(fromUrl.secretAccessKey);
  const pick = <K extends keyof S3UrlParts & keyof S3StoreOptions>(
    key: K,
    name: string,
  ): S3UrlParts[K] => {
    const a = fromUrl[key];
    const b = settings[key];
    if (a !== undefined && b !== undefined && a !== b) {
      throw urlError(
        url,
        `the ${name} differs between the URL and the s3 settings; give it once`,
        S3_EXAMPLE,
        secrets,
      );
    }
    return a ?? b;
  };
  const bucket = pick('bucket', 'bucket');
  if (!bucket) {
    throw settingError(
      S3_BUCKET_SETTING,
      'the S3 backend needs a bucket: set CELERY_S3_BUCKET or s3.bucket, or write it in the URL',
      S3_EXAMPLE,
    );
  }
  const endpointUrl = pick('endpointUrl', 'endpoint URL');
  if (endpointUrl !== undefined && !/^https?:\/\/[^/?#]+/i.test(endpointUrl)) {
    throw settingError(
      's3_endpoint_url',
      'the endpoint URL must be an http:// or https:// URL',
      'http://127.0.0.1:9000',
    );
  }
  const region = pick('region', 'region');
  const accessKeyId = pick('accessKeyId', 'access key id');
  const secretAccessKey = pick('secretAccessKey', 'secret access key');
  const maxConcurrency = settings.maxConcurrency ?? DEFAULT_S3_CONCURRENCY;
  return {
    kind: 's3',
    bucket,
    basePath: pick('basePath', 'base path') ?? '',
    ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(accessKeyId !== undefined ? { accessKeyId } : {}),
    ...(secretAccessKey !== undefined ? { secretAccessKey } : {}),
    forcePathStyle:
      pick('forcePathStyle', 'force_path_style') ?? endpointUrl !== undefined,
    maxConcurrency,
    ...(settings.listThreshold !== undefined
      ? { listThreshold: settings.listThreshold }
      : {}),
  };
}

function parseS3Parts(
  url: string,
  secrets: (string | undefined)[],
): S3UrlParts {
  const example = S3_EXAMPLE;
  const split = splitUrl(url);
  if (!split) throw urlError(url, 'this is not a URL', example, secrets);
  const { username, password, hostinfo } = splitUserinfo(split.netloc);
  secrets.push(password);
  if (hostinfo.includes(':'))
    throw urlError(
      url,
      'an s3:// URL takes a bucket name, not host:port (use endpoint_url=)',
      example,
      secrets,
    );
  if (username !== undefined && password === undefined) {
    throw urlError(
      url,
      'give both the access key id and the secret (s3://KEY:SECRET@bucket/), or neither',
      example,
      secrets,
    );
  }
  const query = parseQuery(split.query);
  const unknown = Object.keys(query).filter((key) => !QUERY_KEYS.includes(key));
  if (unknown.length) {
    throw urlError(
      url,
      `unknown s3:// query parameter(s) ${unknown.join(', ')}; allowed: ${QUERY_KEYS.join(', ')}`,
      example,
      secrets,
    );
  }
  const force = query.force_path_style;
  if (force !== undefined && !/^(true|false|1|0)$/i.test(force)) {
    throw urlError(
      url,
      'force_path_style must be true or false',
      example,
      secrets,
    );
  }
  const path = split.path.startsWith('/') ? split.path.slice(1) : split.path;
  const bucket = unquote(hostinfo);
  const basePath = unquote(path);
  return {
    ...(bucket ? { bucket } : {}),
    ...(basePath ? { basePath } : {}),
    ...(query.endpoint_url !== undefined
      ? { endpointUrl: query.endpoint_url }
      : {}),
    ...(query.region !== undefined ? { region: query.region } : {}),
    ...(username !== undefined
      ? { accessKeyId: username, secretAccessKey: password }
      : {}),
    ...(force !== undefined
      ? { forcePathStyle: /^(true|1)$/i.test(force) }
      : {}),
  };
}
