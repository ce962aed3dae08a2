// HTTP requests an AWS SDK v3 S3 client makes, counted in its middleware stack (shared by the
// S3 benches).

/**
 * Count the requests of an SDK client (each attempt, as its response or error comes back), their
 * response Content-Length, and `METHOD status` counts; `reset()` zeroes them.
 */
export function countRequests(client) {
  const c = { requests: 0, bytes: 0, status: {} };
  client.middlewareStack.add(
    (next) => async (args) => {
      const note = (res) => {
        c.requests++;
        c.bytes += Number(res?.headers?.['content-length'] ?? 0);
        const k = `${args.request.method} ${res?.statusCode ?? 'ERR'}`;
        c.status[k] = (c.status[k] ?? 0) + 1;
      };
      try {
        const out = await next(args);
        note(out.response);
        return out;
      } catch (e) {
        note(e.$response);
        throw e;
      }
    },
    { step: 'deserialize', name: 'benchCounter' },
  );
  c.reset = () => {
    c.requests = 0;
    c.bytes = 0;
    c.status = {};
  };
  return c;
}
