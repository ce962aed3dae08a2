import { RemoteTaskError } from './remote-task.error.js';

/**
 * A task ended in FAILURE (or RETRY, when its stored exception is read). Carries the Python
 * exception type, module, args and traceback.
 * @publicApi
 */
export class TaskFailedError extends RemoteTaskError {}
