/**
 * Takes credentials out of driver errors before this library keeps them (as `cause`, as the
 * last connection error, in health output). ioredis attaches the failed command to its reply
 * errors (`err.command = { name, args }`), so a refused `AUTH user password` or `HELLO 3 AUTH
 * user password` carried the password to whoever printed the error (`console.error`,
 * `util.inspect`, pino, Sentry). Messages stay: Redis replies never echo the password.
 */

/** What replaces a redacted argument (ioredis' own tracing writes `?`). */
export const REDACTED = '[redacted]';

/** Commands whose arguments carry credentials (ioredis' tracing redacts all their args too). */
const SECRET_COMMANDS = /^(auth|hello|migrate)$/i;

/** How deep nested errors are followed (`cause`, `lastNodeError`, `previousErrors`…). */
const MAX_DEPTH = 8;

interface AttachedCommand {
  readonly name?: unknown;
  readonly args?: unknown;
}

/** Own property names that may hold more errors (ioredis, AggregateError, `cause`). */
const NESTED = [
  'cause',
  'lastNodeError',
  'lastError',
  'previousErrors',
  'errors',
];

function redactCommand(target: Record<string, unknown>): void {
  const command = target.command as AttachedCommand | undefined;
  if (
    typeof command !== 'object' ||
    command === null ||
    typeof command.name !== 'string' ||
    !SECRET_COMMANDS.test(command.name) ||
    !Array.isArray(command.args)
  )
    return;
  // A new object: the driver's own Command keeps its args array untouched.
  const redacted = { ...command, args: command.args.map(() => REDACTED) };
  try {
    target.command = redacted;
  } catch {
    Object.defineProperty(target, 'command', { value: redacted });
  }
}

function visit(value: unknown, seen: Set<object>, depth: number): void {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
  if (seen.has(value)) return;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) visit(item, seen, depth + 1);
    return;
  }
  const target = value as Record<string, unknown>;
  try {
    redactCommand(target);
  } catch {
    // A frozen error we cannot change: nothing more to do here.
  }
  for (const key of NESTED)
    if (Object.hasOwn(target, key)) visit(target[key], seen, depth + 1);
}

/**
 * Removes the arguments of credential-carrying commands (`AUTH`, `HELLO`, `MIGRATE`) that
 * ioredis attached as `command.args`, in `err` and in every error nested in it (`cause`,
 * Cluster's `lastNodeError`, `previousErrors`, `AggregateError.errors`), in place so every
 * holder of the error is safe. Name, class, message and stack stay. Returns `err`.
 * @internal
 */
export function redactDriverError<T>(err: T): T {
  visit(err, new Set(), 0);
  return err;
}
