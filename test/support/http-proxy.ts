/**
 * A small HTTP proxy on a free loopback port in front of a test server (pouchdb-server in the
 * CouchDB fault specs): it forwards every request, and its hooks can drop a request's socket
 * unanswered (what a server's idle-socket timeout does to a request racing it) or rewrite a
 * reply body. Bodies are buffered (no compression asked upstream), so hooks see them whole.
 */
import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the proxy forwards: method, URL (path and query) and its whole body. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: Buffer;
}

/** What the proxy may do to the traffic (both hooks optional: a plain proxy). */
export interface HttpProxyHooks {
  /**
   * Called as a request arrives (before its body is read): `true` destroys the client's
   * socket without an answer.
   */
  drop?(method: string, url: string): boolean;
  /** The body to send the client instead of the upstream's reply `body`. */
  reply?(req: ProxiedRequest, body: Buffer): Buffer;
}

/** A running proxy. */
export interface HttpProxy {
  readonly port: number;
  /** Requests forwarded upstream whose reply has not fully arrived yet, that `match`. */
  pending(match: (req: ProxiedRequest) => boolean): number;
  /** Close every connection and the listener. */
  close(): Promise<void>;
}

const readAll = (msg: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    msg.on('data', (c: Buffer) => parts.push(c));
    msg.on('end', () => resolve(Buffer.concat(parts)));
    msg.on('error', reject);
    msg.on('close', () => reject(new Error('closed before its end'))); // no-op after 'end'
  });

/** Start a proxy to `127.0.0.1:<upstreamPort>` with these hooks. */
export async function startHttpProxy(
  upstreamPort: number,
  hooks: HttpProxyHooks = {},
): Promise<HttpProxy> {
  const inFlight = new Set<ProxiedRequest>();
  const forward = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    if (hooks.drop?.(method, url)) {
      req.socket.destroy();
      return;
    }
    const seen: ProxiedRequest = { method, url, body: await readAll(req) };
    const headers = { ...req.headers };
    delete headers.connection;
    delete headers['accept-encoding']; // plain bodies, so hooks can read and rewrite them
    const up = request({
      host: '127.0.0.1',
      port: upstreamPort,
      method,
      path: url,
      headers,
      agent: false,
    });
    res.on('close', () => up.destroy()); // the client aborted (or we are done)
    inFlight.add(seen);
    let upRes: IncomingMessage;
    let reply: Buffer;
    try {
      upRes = await new Promise<IncomingMessage>((resolve, reject) => {
        up.on('response', resolve);
        up.on('error', reject);
        up.end(seen.body);
      });
      reply = await readAll(upRes); // a long-poll sends its headers at once, its body later
    } finally {
      inFlight.delete(seen);
    }
    if (hooks.reply) reply = hooks.reply(seen, reply);
    const out = { ...upRes.headers, 'content-length': String(reply.length) };
    delete out['transfer-encoding'];
    delete out.connection;
    res.writeHead(upRes.statusCode ?? 502, out);
    res.end(reply);
  };
  const server: Server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    pending: (match) => [...inFlight].filter(match).length,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
