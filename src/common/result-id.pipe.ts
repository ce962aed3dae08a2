import { Injectable, type PipeTransform } from '@nestjs/common';
import { ResultBackendService } from 'nestjs-celery-result-backend';
import {
  assertFileSafeName,
  validateId,
} from 'nestjs-celery-result-backend/codec';

/**
 * Refuse task ids no store can use safely (empty, over 255 bytes, NUL or control
 * characters) and, on the filesystem store, path separators and `.`/`..`, before anything
 * is read or written. Throws `InvalidTaskIdError` (answered with 400).
 */
@Injectable()
export class TaskIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly results: ResultBackendService) {}

  /** Validate the id. */
  transform(value: unknown): string {
    return checkId(value, 'task', this.results);
  }
}

/** Like {@link TaskIdPipe}, for group ids. */
@Injectable()
export class GroupIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly results: ResultBackendService) {}

  /** Validate the id. */
  transform(value: unknown): string {
    return checkId(value, 'group', this.results);
  }
}

function checkId(
  value: unknown,
  what: 'task' | 'group',
  results: ResultBackendService,
): string {
  validateId(value, what);
  if (results.kind === 'filesystem') assertFileSafeName(value);
  return value;
}
