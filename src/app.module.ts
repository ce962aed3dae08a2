import { Module } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ResultBackendModule } from 'nestjs-celery-result-backend';
import { ResultBackendExceptionFilter } from 'nestjs-celery-result-backend/http';
import { mkdir } from 'node:fs/promises';
import { resultBackendConfig } from './config/result-backend.config.js';
import { DemoModule } from './demo/demo.module.js';
import { GroupsModule } from './groups/groups.module.js';
import { HealthModule } from './health/health.module.js';
import { PageModule } from './page/page.module.js';
import { TasksModule } from './tasks/tasks.module.js';

/**
 * The demo app: Celery task results over HTTP and SSE. The backend URL comes from
 * `CELERY_RESULT_BACKEND`; without it, a filesystem store in `./.data/results`. `GET /`
 * serves the live results page (`public/`).
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    ResultBackendModule.forRootAsync({
      isGlobal: true,
      imports: [ConfigModule.forFeature(resultBackendConfig)],
      inject: [resultBackendConfig.KEY],
      useFactory: async (config: ConfigType<typeof resultBackendConfig>) => {
        if (config.dataDir) await mkdir(config.dataDir, { recursive: true });
        return { url: config.url };
      },
    }),
    TasksModule,
    GroupsModule,
    DemoModule,
    HealthModule,
    PageModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ResultBackendExceptionFilter }],
})
export class AppModule {}
