/** Name of the instance registered without `name`. @publicApi */
export const DEFAULT_RESULT_BACKEND_NAME = 'default';

/** Logger context of this library. @internal */
export const RESULT_BACKEND_LOGGER_CONTEXT = 'ResultBackend';
