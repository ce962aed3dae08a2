import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ResultBackendHealthIndicator } from './result-backend.health.js';

/**
 * Provides `ResultBackendHealthIndicator` (and re-exports `TerminusModule`, so the importing
 * module can inject `HealthCheckService`). It finds result backend instances app-wide, so
 * import it next to `ResultBackendModule.forRoot()` in any module.
 * @publicApi
 */
@Module({
  imports: [TerminusModule],
  providers: [ResultBackendHealthIndicator],
  exports: [ResultBackendHealthIndicator, TerminusModule],
})
export class ResultBackendHealthModule {}
