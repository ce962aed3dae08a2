import { Module } from '@nestjs/common';
import { ResultBackendHealthModule } from 'nestjs-celery-result-backend/health';
import { HealthController } from './health.controller.js';

/** `GET /health` (terminus). */
@Module({
  imports: [ResultBackendHealthModule],
  controllers: [HealthController],
})
export class HealthModule {}
