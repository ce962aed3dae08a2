import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { demoConfig } from '../config/demo.config.js';
import { DemoController } from './demo.controller.js';
import { DemoTaskRunner } from './demo-task.runner.js';

/** The demo producer (`POST /demo/tasks`, `POST /demo/groups`). */
@Module({
  imports: [ConfigModule.forFeature(demoConfig)],
  controllers: [DemoController],
  providers: [DemoTaskRunner],
})
export class DemoModule {}
