import type { LoggerService } from '@nestjs/common';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { isSuccessDocument } from '../../protocol/index.js';
import type { WriteOutcome } from '../result-store.interface.js';
import { isNotImplemented, isWriteConflict } from './s3.errors.js';
import type { EtagEntry } from './s3-etag.cache.js';

/** Re-reads of a guarded write that keeps losing races before giving up. */
const MAX_GUARD_ATTEMPTS = 10;

/** The precondition headers of a conditional PutObject. @internal */
export interface S3Precondition {
  /** Write only over this ETag. */
  readonly IfMatch?: string;
  /** `*`: write only when the object is missing. */
  readonly IfNoneMatch?: string;
}

/** The store's raw object I/O a {@link S3GuardedWriter} uses. @internal */
export interface S3GuardedWriterIo {
  /** Masked store description, for errors and the fallback warning. */
  readonly description: string;
  /** Where the one-time "no conditional PUT" warning goes. */
  readonly logger: LoggerService;
  /** Conditional GET: the current body and ETag, or null when missing. */
  read(objectKey: string): Promise<EtagEntry | null>;
  /** PutObject with the given preconditions (rejects with BackendUnavailableError). */
  put(objectKey: string, value: string, cond: S3Precondition): Promise<void>;
  /** Drop the cached ETag of a key whose write lost a race. */
  forget(objectKey: string): void;
}

/**
 * "SUCCESS is final" on S3: read, check SUCCESS, then write only if the object is still what
 * was read (If-Match with its ETag, or If-None-Match: * when it was missing). A lost race
 * (412/409) re-reads and re-checks; a server without conditional PUT (501) is remembered and
 * served by read-check-write (the store serializes writes per key in this process).
 * @internal
 */
export class S3GuardedWriter {
  private conditionalWrites = true;

  constructor(private readonly io: S3GuardedWriterIo) {}

  /** Write `value` unless a SUCCESS document is stored. */
  async write(objectKey: string, value: string): Promise<WriteOutcome> {
    for (let attempt = 0; attempt < MAX_GUARD_ATTEMPTS; attempt++) {
      const current = await this.io.read(objectKey);
      if (current && isSuccessDocument(current.body)) return 'kept-success';
      const cond = this.conditionalWrites ? preconditionFor(current) : {};
      try {
        await this.io.put(objectKey, value, cond);
        return 'written';
      } catch (err) {
        const cause = err instanceof BackendUnavailableError ? err.cause : err;
        if (isWriteConflict(cause)) {
          this.io.forget(objectKey);
          continue;
        }
        if (isNotImplemented(cause) && this.conditionalWrites) {
          this.conditionalWrites = false;
          this.io.logger.warn?.(
            `${this.io.description} does not support conditional PUT; "SUCCESS is final" falls back to read-check-write`,
          );
          continue;
        }
        throw err;
      }
    }
    throw new BackendUnavailableError(
      this.io.description,
      `PutObject ${objectKey}: gave up after ${MAX_GUARD_ATTEMPTS} conflicting concurrent writes`,
    );
  }
}

/** If-Match the ETag read, or If-None-Match: * when the object was missing. */
function preconditionFor(current: EtagEntry | null): S3Precondition {
  if (!current) return { IfNoneMatch: '*' };
  return current.etag ? { IfMatch: current.etag } : {};
}
