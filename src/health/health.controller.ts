import { Controller, Get } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { ResultBackendHealthIndicator } from 'nestjs-celery-result-backend/health';

/** `GET /health`: 200 when the result store answers a ping within 1 s, else 503. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly results: ResultBackendHealthIndicator,
  ) {}

  /** Terminus health check of the result backend (key `results`). */
  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.results.isHealthy('results')]);
  }
}
