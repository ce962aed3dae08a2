import { Module } from '@nestjs/common';
import { GroupsController } from './groups.controller.js';

/** Group result endpoints. */
@Module({ controllers: [GroupsController] })
export class GroupsModule {}
