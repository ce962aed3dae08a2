/**
 * Terminus health check for the Celery result backend, in its own entry point so apps
 * without `@nestjs/terminus` never load it.
 *
 * @example
 * import { ResultBackendHealthIndicator, ResultBackendHealthModule } from 'nestjs-celery-result-backend/health';
 *
 * \@Module({ imports: [ResultBackendModule.forRoot({ url: 'redis://localhost:6379/0' }), ResultBackendHealthModule],
 *   controllers: [HealthController] })
 * export class AppModule {}
 *
 * \@Controller('health')
 * export class HealthController {
 *   constructor(private readonly health: HealthCheckService, private readonly results: ResultBackendHealthIndicator) {}
 *   \@Get() \@HealthCheck()
 *   check() {
 *     return this.health.check([() => this.results.isHealthy('results')]);
 *   }
 * }
 * @packageDocumentation
 */
export { ResultBackendHealthModule } from './result-backend-health.module.js';
export { ResultBackendHealthIndicator } from './result-backend.health.js';
export { DEFAULT_HEALTH_TIMEOUT_MS } from './result-backend-health.options.js';
export type {
  ResultBackendHealthDetails,
  ResultBackendHealthDownDetails,
  ResultBackendHealthOptions,
} from './result-backend-health.options.js';
