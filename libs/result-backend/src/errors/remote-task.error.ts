import { ResultBackendError } from './result-backend.error.js';

/**
 * Base of the errors rebuilt from a stored Celery exception. Nothing from the store is
 * evaluated or used to pick a constructor: the Python type is data on this object.
 * @publicApi
 */
export class RemoteTaskError extends ResultBackendError {
  /** Task whose result held the exception. */
  readonly taskId: string;
  /** Celery state that carried it: FAILURE, REVOKED or RETRY. */
  readonly state: string;
  /** Python class `__qualname__`, e.g. `ValueError` or `Outer.NestedError`. */
  readonly excType: string;
  /** Python module, e.g. `builtins`, or `null` when the writer did not say. */
  readonly excModule: string | null;
  /** The exception args (`exc_message`), exactly as stored. */
  readonly excArgs: readonly unknown[];
  /** Python traceback text, or `null`. */
  readonly traceback: string | null;

  /**
   * @param info what Celery stored about the exception.
   * @param message the error message; by default Python's `module.Type(args)` repr.
   */
  constructor(info: RemoteExceptionInfo, message?: string) {
    super(
      message ??
        `${qualifiedName(info.excModule, info.excType)}(${formatArgs(info.excArgs)})`,
    );
    this.taskId = info.taskId;
    this.state = info.state;
    this.excType = info.excType;
    this.excModule = info.excModule;
    this.excArgs = info.excArgs;
    this.traceback = info.traceback;
  }

  /** `module.Type`, as Python prints it (`builtins` left out). */
  get pythonType(): string {
    return qualifiedName(this.excModule, this.excType);
  }
}

function qualifiedName(module: string | null, type: string): string {
  return module && module !== 'builtins' ? `${module}.${type}` : type;
}

function formatArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      try {
        return typeof a === 'string'
          ? `'${a}'`
          : (JSON.stringify(a) ?? String(a));
      } catch {
        return String(a);
      }
    })
    .join(', ');
}

/** What Celery stored about an exception, as plain data: the fields of {@link RemoteTaskError}. @publicApi */
export type RemoteExceptionInfo = Pick<
  RemoteTaskError,
  'taskId' | 'state' | 'excType' | 'excModule' | 'excArgs' | 'traceback'
>;
