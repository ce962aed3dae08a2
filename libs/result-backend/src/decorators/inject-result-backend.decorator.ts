import { Inject } from '@nestjs/common';
import { getResultBackendToken } from '../result-backend.tokens.js';

/**
 * Inject a result backend instance by name (the default one without a name).
 * @example constructor(@InjectResultBackend('archive') private readonly archive: ResultBackendService) {}
 * @publicApi
 */
export const InjectResultBackend = (
  name?: string,
): ParameterDecorator & PropertyDecorator =>
  Inject(getResultBackendToken(name));
