import { RemoteTaskError } from './remote-task.error.js';

/**
 * A task was REVOKED (`celery.exceptions.TaskRevokedError`; args give the reason:
 * `revoked`, `expired` or `terminated`).
 * @publicApi
 */
export class TaskRevokedError extends RemoteTaskError {}
