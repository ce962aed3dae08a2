import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import { isReadyState } from 'nestjs-celery-result-backend/codec';
import { GroupIdPipe } from '../common/result-id.pipe.js';
import {
  taskMetaView,
  type TaskMetaView,
} from 'nestjs-celery-result-backend/http';

/** Body of `GET /groups/:id`. */
export interface GroupView {
  readonly groupId: string;
  /** Number of member tasks. */
  readonly size: number;
  /** Members in a ready state (SUCCESS, FAILURE, REVOKED). */
  readonly completed: number;
  /** True when every member is ready. */
  readonly ready: boolean;
  /** Member metas, in group order. */
  readonly results: readonly TaskMetaView[];
}

/** Saved Celery groups (`GroupResult.save()`): the members and their metas. */
@Controller('groups')
export class GroupsController {
  constructor(private readonly results: ResultBackendService) {}

  /** The group and its members' metas: 200, or 404 when no group is saved under the id. */
  @Get(':id')
  async group(@Param('id', GroupIdPipe) id: string): Promise<GroupView> {
    const group = await this.results.restoreGroup(id);
    if (!group)
      throw new NotFoundException(`No group saved under ${JSON.stringify(id)}`);
    const ids = group.results.map((node) => node.id);
    const metas = [...(await this.results.getMany(ids)).values()].map(
      taskMetaView,
    );
    const completed = metas.filter((m) => isReadyState(m.status)).length;
    return {
      groupId: group.groupId,
      size: ids.length,
      completed,
      ready: completed === ids.length,
      results: metas,
    };
  }
}
