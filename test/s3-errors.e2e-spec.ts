/**
 * S3 store failure modes against real servers: missing bucket, missing credentials, server
 * stopped mid-watch, and a server that accepts connections but never answers.
 */
import { jest } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import * as sdk from '@aws-sdk/client-s3';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { ImproperlyConfiguredError } from '../libs/result-backend/src/errors/improperly-configured.error.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import {
  buildS3ClientConfig,
  S3_TIMEOUTS,
} from '../libs/result-backend/src/stores/s3/s3-client.factory.js';
import {
  createS3Store,
  S3ResultStore,
} from '../libs/result-backend/src/stores/s3/s3.store.js';
import { getFreePort } from './support/server-process.js';
import {
  describeWithS3rver,
  s3rverConfig,
  type S3TestServer,
} from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';
import { freshKey } from './support/store-contract.js';

// Under load (2 shared cores) s3rver round trips slow down; no test relies on this bound.
jest.setTimeout(30_000);

const BUCKET = 'celery-results';

/** Run `fn` with every AWS_* variable removed and the shared files pointing nowhere. */
async function withoutAwsEnv<T>(
  extra: Record<string, string>,
  fn: () => Promise<T>,
): Promise<T> {
  const saved = Object.entries(process.env).filter(([k]) =>
    k.startsWith('AWS_'),
  );
  for (const [k] of saved) delete process.env[k];
  Object.assign(process.env, {
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(process.env))
      if (k.startsWith('AWS_')) delete process.env[k];
    for (const [k, v] of saved) process.env[k] = v;
  }
}

describeWithS3rver('s3 store failures (s3rver)', [BUCKET], (s3) => {
  let doomed: S3TestServer;

  beforeAll(async () => {
    doomed = await s3.another();
  });

  it('a missing bucket fails every call with a typed error naming the bucket, and ping rejects', async () => {
    const store = await createS3Store(
      s3.config('no-such-bucket'),
      testStoreContext(),
    );
    try {
      const missing = /bucket "no-such-bucket" does not exist/;
      await expect(store.get('celery-task-meta-x')).rejects.toThrow(missing);
      await expect(store.get('celery-task-meta-x')).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await expect(
        store.mget(['celery-task-meta-x', 'celery-task-meta-y']),
      ).rejects.toThrow(missing);
      await expect(
        store.set('celery-task-meta-x', '{"status": "SUCCESS"}', null, false),
      ).rejects.toThrow(missing);
      await expect(
        store.set('celery-task-meta-x', '{"status": "SUCCESS"}', null, true),
      ).rejects.toThrow(missing);
      await expect(store.ping()).rejects.toThrow(missing);
      await expect(store.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
    } finally {
      await store.close();
    }
  });

  it('no credentials anywhere: ImproperlyConfiguredError at create, with the fix in the message', async () => {
    const config = {
      ...s3.config(BUCKET),
      accessKeyId: undefined,
      secretAccessKey: undefined,
    };
    const err: unknown = await withoutAwsEnv({}, () =>
      createS3Store(config, testStoreContext()),
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ImproperlyConfiguredError);
    expect((err as Error).message).toMatch(
      /no AWS credentials found.*s3_access_key_id and s3_secret_access_key/,
    );
  });

  it('without explicit keys, uses the default credential chain (AWS_* env)', async () => {
    const config = {
      ...s3.config(BUCKET),
      accessKeyId: undefined,
      secretAccessKey: undefined,
    };
    const store = await withoutAwsEnv(
      { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
      () => createS3Store(config, testStoreContext()),
    );
    try {
      const key = freshKey();
      await store.set(key, '{"status": "SUCCESS"}', null, true);
      expect(await store.get(key)).toBe('{"status": "SUCCESS"}');
    } finally {
      await store.close();
    }
  });

  it('half a key pair is a configuration error', async () => {
    const config = { ...s3.config(BUCKET), secretAccessKey: undefined };
    await expect(createS3Store(config, testStoreContext())).rejects.toThrow(
      ImproperlyConfiguredError,
    );
  });

  it('wrong credentials: typed error from the server (access denied)', async () => {
    const store = await createS3Store(
      {
        ...s3.config(BUCKET),
        accessKeyId: 'WRONG',
        secretAccessKey: 'WRONG',
      },
      testStoreContext(),
    );
    try {
      await expect(store.get('celery-task-meta-x')).rejects.toThrow(
        /access denied.*InvalidAccessKeyId/,
      );
      await expect(store.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
    } finally {
      await store.close();
    }
  });

  it('server stopped mid-watch: mget, get, set and ping reject with BackendUnavailableError', async () => {
    const store = await createS3Store(
      s3rverConfig(doomed, BUCKET),
      testStoreContext(),
    );
    try {
      const keys = [freshKey(), freshKey()];
      await store.set(keys[0], '{"status": "STARTED"}', null, true);
      expect(await store.mget(keys)).toEqual(['{"status": "STARTED"}', null]);
      expect(await store.mget(keys)).toEqual(['{"status": "STARTED"}', null]); // cached path too
      await doomed.stop();
      await expect(store.mget(keys)).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
      await expect(store.get(keys[0])).rejects.toThrow(/ECONNREFUSED/);
      await expect(
        store.set(keys[1], '{"status": "SUCCESS"}', null, true),
      ).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(
        BackendUnavailableError,
      );
    } finally {
      await store.close();
    }
  });

  describe('a server that accepts connections and never answers', () => {
    let blackHole: Server;
    const sockets = new Set<Socket>();
    let port: number;

    beforeAll(async () => {
      port = await getFreePort();
      blackHole = createServer((s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((r) => blackHole.listen(port, '127.0.0.1', r));
    });
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => blackHole.close(r));
    });

    it('times out with BackendUnavailableError instead of hanging', async () => {
      const config = {
        ...s3.config(BUCKET),
        endpointUrl: `http://127.0.0.1:${port}`,
      };
      // The store's timeouts (15 s x 3 attempts) with shorter numbers, same switches.
      const client = new sdk.S3Client({
        ...buildS3ClientConfig(config),
        maxAttempts: 1,
        requestHandler: {
          ...S3_TIMEOUTS,
          connectionTimeout: 500,
          requestTimeout: 300,
          socketTimeout: 300,
        },
      });
      const store: ResultStore = new S3ResultStore(
        sdk,
        client,
        config,
        testStoreContext(),
      );
      try {
        await expect(
          store.mget(['celery-task-meta-a', 'celery-task-meta-b']),
        ).rejects.toBeInstanceOf(BackendUnavailableError);
        await expect(store.ping()).rejects.toThrow(/unavailable/);
      } finally {
        await store.close();
      }
    }, 20_000);
  });
});
