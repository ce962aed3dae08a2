/**
 * The golden vectors Celery stored, packed in test/fixtures/celery-vectors (one gzip'd
 * manifest per Celery version, written by scripts/celery-vectors/pack_vectors.py): the
 * manifest of ../shared/celery-vectors*, with every stored item's bytes inline and the Redis
 * MONITOR logs under `monitor_logs`. Tests need nothing outside the project.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseCeleryJson } from '../../libs/result-backend/src/protocol/celery-json.js';

/**
 * The folder of the packed vectors: `$CELERY_VECTORS_DIR` when set (e.g. a fresh
 * `npm run vectors:capture -- --out <dir>`, to run the vector specs against it), else the
 * committed test/fixtures/celery-vectors.
 */
export const VECTORS_DIR =
  process.env.CELERY_VECTORS_DIR ||
  join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    'fixtures',
    'celery-vectors',
  );

/** The Celery versions with packed vectors. */
export const VECTOR_VERSIONS = ['5.2.6', '5.5.2', '5.6.3'] as const;

/** A packed manifest: `vectors` (see ../shared/celery-vectors/README.md) and the logs. */
export interface PackedVectors<V> {
  readonly versions: { celery: string; kombu: string };
  readonly vectors: V[];
  readonly monitor_logs?: Record<string, string>;
}

const cache = new Map<string, PackedVectors<unknown>>();

/**
 * The manifest of one Celery version (default 5.2.6), parsed with Python's JSON dialect
 * (exact big integers), cached per version.
 */
export function celeryVectors<V = Record<string, unknown>>(
  version: string = '5.2.6',
): PackedVectors<V> {
  let packed = cache.get(version);
  if (!packed) {
    const gz = readFileSync(join(VECTORS_DIR, `celery-${version}.json.gz`));
    packed = parseCeleryJson(
      gunzipSync(gz).toString('utf8'),
    ) as PackedVectors<unknown>;
    cache.set(version, packed);
  }
  return packed as PackedVectors<V>;
}

/** A stored item's exact bytes, by its `file` path (as the vector folders have them). */
export function vectorFileBytes(file: string, version = '5.2.6'): Buffer {
  const log = celeryVectors(version).monitor_logs?.[file];
  if (log !== undefined) return Buffer.from(log, 'utf8');
  for (const v of celeryVectors<{ stored: StoredBytes[] }>(version).vectors) {
    for (const item of v.stored) {
      if (item.file !== file) continue;
      return item.raw_text !== undefined
        ? Buffer.from(item.raw_text, 'utf8')
        : Buffer.from(item.raw_base64 ?? '', 'base64');
    }
  }
  throw new Error(`no stored item ${file} in the Celery ${version} vectors`);
}

/** {@link vectorFileBytes} as UTF-8 text. */
export function vectorFileText(file: string, version = '5.2.6'): string {
  return vectorFileBytes(file, version).toString('utf8');
}

interface StoredBytes {
  readonly file: string;
  readonly raw_text?: string;
  readonly raw_base64?: string;
}
