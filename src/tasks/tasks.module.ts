import { Module } from '@nestjs/common';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';

/** Task result endpoints (uses the global default `ResultBackendService`). */
@Module({ controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
