/**
 * s3rver (npm devDependency) for the S3 tests: a temp data dir, a free loopback port and
 * `--configure-bucket` for each bucket. Credentials are s3rver's fixed `S3RVER` / `S3RVER`.
 * {@link describeWithS3rver} gives a describe block its server; {@link addS3Middleware} and
 * {@link countS3Requests} look at the requests of an SDK client.
 */
import type { S3BackendConfig } from '../../libs/result-backend/src/stores/s3/s3.options.js';
import {
  getFreePort,
  startServer,
  startServerGroup,
  type TestServer,
} from './server-process.js';
import { describeWithServer } from './skip-gate.js';

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

/** One s3rver of a describe block (see {@link describeWithS3rver}). */
export interface S3rverFixture {
  /** The running server, in hooks and tests (it starts in the block's first `beforeAll`). */
  readonly server: S3TestServer;
  /** {@link s3rverConfig} of {@link S3rverFixture.server}. */
  config(bucket: string, basePath?: string): S3BackendConfig;
  /** Start one more s3rver with the same buckets (e.g. one a test stops); stopped with the block. */
  another(): Promise<S3TestServer>;
}

/**
 * `describe` under the s3rver skip gate with one s3rver holding `buckets`: started before the
 * block's own `beforeAll` hooks, stopped (with every {@link S3rverFixture.another}) after its
 * own `afterAll` hooks, so the block's stores close first.
 */
export function describeWithS3rver(
  name: string,
  buckets: readonly string[],
  fn: (s3: S3rverFixture) => void,
): void {
  describeWithServer([S3RVER_BIN], name, () => {
    const servers: S3TestServer[] = [];
    beforeAll(async () => {
      servers.push(await startS3rver(buckets));
    });
    const fixture: S3rverFixture = {
      get server(): S3TestServer {
        if (!servers[0]) throw new Error('s3rver did not start');
        return servers[0];
      },
      config: (bucket, basePath) =>
        s3rverConfig(fixture.server, bucket, basePath),
      async another() {
        const srv = await startS3rver(buckets);
        servers.push(srv);
        return srv;
      },
    };
    fn(fixture);
    afterAll(async () => {
      await Promise.all(servers.map((srv) => srv.stop()));
    });
  });
}

/** A handler of an SDK client's middleware stack: `input` is the command's input. */
export type S3Handler = (args: {
  input: Record<string, unknown>;
  request?: unknown;
}) => Promise<unknown>;

/**
 * Add a middleware to an SDK client's stack at `step` (`initialize`: once per command call;
 * `deserialize`: once per HTTP attempt); `ctx.commandName` is e.g. `GetObjectCommand`.
 */
export function addS3Middleware(
  client: unknown,
  step: 'initialize' | 'deserialize',
  name: string,
  mw: (next: S3Handler, ctx: { commandName?: string }) => S3Handler,
): void {
  (
    client as {
      middlewareStack: {
        add(m: typeof mw, o: { step: typeof step; name: string }): void;
      };
    }
  ).middlewareStack.add(mw, { step, name });
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
  addS3Middleware(
    client,
    'deserialize',
    'testRequestCounter',
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
  );
  return counter;
}
