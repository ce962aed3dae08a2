// HTTP requests an AWS SDK v3 S3 client makes, counted in its middleware stack (shared by the
// S3 benches).

/**
 * Count the requests of an SDK client (each attempt, as its response or error comes back), their
 * response Content-Length, `METHOD status` counts and counts per SDK command (`commands`;
 * `lists()`: ListObjects V1 and V2); `reset()` zeroes them.
 */
export function countRequests(client) {
  const c = { requests: 0, bytes: 0, status: {}, commands: {} };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const note = (res) => {
        c.requests++;
        const cmd = context.commandName ?? '?';
        c.commands[cmd] = (c.commands[cmd] ?? 0) + 1;
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
    c.commands = {};
  };
  c.lists = () =>
    (c.commands.ListObjectsV2Command ?? 0) +
    (c.commands.ListObjectsCommand ?? 0);
  return c;
}
