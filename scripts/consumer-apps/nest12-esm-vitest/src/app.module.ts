import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import {
  ResultBackendModule,
  fromConfigService,
} from 'nestjs-celery-result-backend';
import { ResultBackendHealthModule } from 'nestjs-celery-result-backend/health';
import { ResultBackendExceptionFilter } from 'nestjs-celery-result-backend/http';
import { HealthController } from './health.controller.js';
import { TasksController } from './tasks.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [() => ({ CELERY_RESULT_BACKEND: 'cache+memory://' })],
    }),
    ResultBackendModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => fromConfigService(config),
    }),
    ResultBackendHealthModule,
  ],
  controllers: [HealthController, TasksController],
  providers: [{ provide: APP_FILTER, useClass: ResultBackendExceptionFilter }],
})
export class AppModule {}
