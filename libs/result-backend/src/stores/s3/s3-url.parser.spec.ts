import type { S3StoreOptions } from './s3.options.js';
import { parseBackendUrl } from '../backend-url.parser.js';
import {
  configError,
  parseAs,
} from '../../../../../test/support/config-error.js';

const s3 = (url: string, settings?: S3StoreOptions) =>
  parseAs('s3', url, { s3: settings });

describe('parseBackendUrl: s3', () => {
  it('takes everything from the settings with a bare s3 or s3:// (as Celery)', () => {
    const settings = {
      bucket: 'b',
      basePath: '/celery_result_backend',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'SECRET',
    };
    const expected = {
      kind: 's3',
      bucket: 'b',
      basePath: '/celery_result_backend',
      region: 'eu-west-1',
      accessKeyId: 'AKID',
      secretAccessKey: 'SECRET',
      forcePathStyle: false,
      maxConcurrency: 16,
    };
    expect(s3('s3', settings)).toEqual(expected);
    expect(s3('s3://', settings)).toEqual(expected);
  });

  it('reads the convenience form: bucket, verbatim base path, query settings', () => {
    expect(
      s3(
        's3://My_Bucket/celery/results/?endpoint_url=http%3A%2F%2F127.0.0.1%3A4568&region=us-east-1',
      ),
    ).toEqual({
      kind: 's3',
      bucket: 'My_Bucket',
      basePath: 'celery/results/',
      endpointUrl: 'http://127.0.0.1:4568',
      region: 'us-east-1',
      forcePathStyle: true,
      maxConcurrency: 16,
    });
    expect(s3('s3://b//celery_result_backend').basePath).toBe(
      '/celery_result_backend',
    );
    expect(s3('s3://b/pre-').basePath).toBe('pre-');
    expect(s3('s3://b/a%20b/').basePath).toBe('a b/');
    expect(s3('s3://b').basePath).toBe('');
    expect(s3('s3://b/').basePath).toBe('');
  });

  it('forcePathStyle: true with an endpoint unless told otherwise', () => {
    expect(s3('s3://b?endpoint_url=http://minio:9000').forcePathStyle).toBe(
      true,
    );
    expect(
      s3('s3://b?endpoint_url=http://minio:9000&force_path_style=false')
        .forcePathStyle,
    ).toBe(false);
    expect(s3('s3://b?force_path_style=1').forcePathStyle).toBe(true);
    expect(
      s3('s3://b', {
        endpointUrl: 'https://s3.example.com',
        forcePathStyle: false,
      }).forcePathStyle,
    ).toBe(false);
  });

  it('reads credentials from the URL (percent-decoded) and never shows them in errors', () => {
    expect(s3('s3://AKID:wJal%2FrXU%2Bt@b/p/')).toMatchObject({
      accessKeyId: 'AKID',
      secretAccessKey: 'wJal/rXU+t',
    });
    const err = configError(() =>
      parseBackendUrl('s3://AKID:wJal%2FrXU%2Bt@b/p/?bogus=1'),
    );
    expect(err.message).toContain('bogus');
    expect(err.message).not.toContain('wJal');
    expect(() => parseBackendUrl('s3://AKID@b/')).toThrow(
      /both the access key id and the secret/,
    );
  });

  it('accepts the same value twice but refuses URL/settings conflicts', () => {
    expect(s3('s3://b/p', { bucket: 'b', basePath: 'p' }).bucket).toBe('b');
    const err = configError(() =>
      parseBackendUrl('s3://KEY:hunter22@a/', {
        s3: { bucket: 'b', secretAccessKey: 'topsecret' },
      }),
    );
    expect(err.setting).toBe('CELERY_RESULT_BACKEND');
    expect(err.message).toContain('bucket');
    expect(err.message).not.toContain('hunter22');
    expect(err.message).not.toContain('topsecret');
    expect(() =>
      parseBackendUrl('s3://KEY:x@b/', { s3: { secretAccessKey: 'other' } }),
    ).toThrow(/secret access key/);
  });

  it('fails without a bucket, naming s3_bucket with an example', () => {
    for (const url of ['s3', 's3://', 's3:///path/']) {
      const err = configError(() =>
        parseBackendUrl(url, { s3: { secretAccessKey: 'topsecret' } }),
      );
      expect(err.setting).toBe('s3_bucket');
      expect(err.message).toContain('CELERY_S3_BUCKET');
      expect(err.message).toContain('for example: s3://');
      expect(err.message).not.toContain('topsecret');
    }
  });

  it('refuses host:port, unknown query keys, a bad flag and a bad endpoint', () => {
    expect(() => parseBackendUrl('s3://b:9000/')).toThrow(/endpoint_url/);
    expect(() => parseBackendUrl('s3://b/?regoin=x')).toThrow(/regoin/);
    expect(() => parseBackendUrl('s3://b/?force_path_style=maybe')).toThrow(
      /force_path_style/,
    );
    const err = configError(() =>
      parseBackendUrl('s3://b/?endpoint_url=minio:9000'),
    );
    expect(err.setting).toBe('s3_endpoint_url');
  });
});
