/**
 * s3rver (npm devDependency) for the S3 tests: a temp data dir, a free loopback port and
 * `--configure-bucket` for each bucket. Credentials are s3rver's fixed `S3RVER` / `S3RVER`.
 */
import type { S3BackendConfig } from '../../libs/result-backend/src/stores/s3/s3.options.js';
import {
  getFreePort,
  startServer,
  startServerGroup,
  type TestServer,
} from './server-process.js';

/** The s3rver binary installed by `npm install` (devDependency). */
export const S3RVER_BIN = 'node_modules/.bin/s3rver';
/** s3rver's only accepted key pair. */
export const S3RVER_KEY = 'S3RVER';

/** A running s3rver. */
export interface S3TestServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly endpointUrl: string;
  readonly dataDir: string;
  readonly server: TestServer;
  /** Stop the server and remove its data dir. Idempotent. */
  stop(): Promise<void>;
}

/** Start s3rver with these buckets; `port` reuses a port (restart after stop). */
export async function startS3rver(
  buckets: readonly string[],
  port?: number,
): Promise<S3TestServer> {
  const group = await startServerGroup('s3rver-');
  const p = port ?? (await getFreePort());
  const args = [
    '-d',
    group.dir,
    '-a',
    '127.0.0.1',
    '-p',
    String(p),
    '--silent',
  ];
  for (const b of buckets) args.push('--configure-bucket', b);
  try {
    const server = await group.start(p, () =>
      startServer({
        command: S3RVER_BIN,
        args,
        port: p,
        env: { NODE_NO_WARNINGS: '1' },
      }),
    );
    return {
      port: p,
      endpointUrl: `http://127.0.0.1:${p}`,
      dataDir: group.dir,
      server,
      stop: () => group.stop('SIGTERM'),
    };
  } catch (err) {
    await group.stop();
    throw err;
  }
}

/** Store config for a running s3rver (path style, fixed keys). */
export function s3rverConfig(
  srv: S3TestServer,
  bucket: string,
  basePath = '',
): S3BackendConfig {
  return {
    kind: 's3',
    bucket,
    basePath,
    endpointUrl: srv.endpointUrl,
    region: 'us-east-1',
    accessKeyId: S3RVER_KEY,
    secretAccessKey: S3RVER_KEY,
    forcePathStyle: true,
  };
}

/** What {@link countS3Requests} saw. */
export interface S3RequestCounter {
  /** Requests sent (every retry attempt counts). */
  requests: number;
  /** Requests per `METHOD status`, e.g. `GET 304`. */
  readonly byStatus: Map<string, number>;
  /** Sum of response Content-Length. */
  bodyBytes: number;
  /** `METHOD path` of every request, in order. */
  readonly paths: string[];
  /** Zero every counter. */
  reset(): void;
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      mw: (
        next: (args: { request: unknown }) => Promise<unknown>,
      ) => (args: { request: unknown }) => Promise<unknown>,
      opts: { step: 'deserialize'; name: string },
    ): void;
  };
}

/** Count HTTP requests and response body bytes of an SDK client (deserialize-step middleware). */
export function countS3Requests(client: unknown): S3RequestCounter {
  const counter: S3RequestCounter = {
    requests: 0,
    byStatus: new Map(),
    bodyBytes: 0,
    paths: [],
    reset() {
      this.paths.length = 0;
      this.requests = 0;
      this.bodyBytes = 0;
      this.byStatus.clear();
    },
  };
  const note = (
    method: string,
    status: number | undefined,
    headers: Record<string, string> | undefined,
  ): void => {
    counter.requests++;
    const k = `${method} ${status ?? 'ERR'}`;
    counter.byStatus.set(k, (counter.byStatus.get(k) ?? 0) + 1);
    counter.bodyBytes += Number(headers?.['content-length'] ?? 0);
  };
  (client as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      const { method = '?', path = '' } = args.request as {
        method?: string;
        path?: string;
      };
      counter.paths.push(`${method} ${path}`);
      try {
        const out = (await next(args)) as {
          response?: { statusCode?: number; headers?: Record<string, string> };
        };
        note(method, out.response?.statusCode, out.response?.headers);
        return out;
      } catch (err) {
        const res = (
          err as {
            $response?: {
              statusCode?: number;
              headers?: Record<string, string>;
            };
          }
        ).$response;
        note(method, res?.statusCode, res?.headers);
        throw err;
      }
    },
    { step: 'deserialize', name: 'testRequestCounter' },
  );
  return counter;
}
