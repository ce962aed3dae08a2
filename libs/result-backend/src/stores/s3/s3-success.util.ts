/**
 * "SUCCESS is final" check on raw stored text. Celery writes `status` first, and its JSON may
 * hold `NaN`/`Infinity` (Python's json), which `JSON.parse` rejects: fall back to the prefix.
 * @internal
 */
export function isSuccessText(text: string | null | undefined): boolean {
  if (!text) return false;
  try {
    const doc: unknown = JSON.parse(text);
    return (
      !!doc &&
      typeof doc === 'object' &&
      (doc as { status?: unknown }).status === 'SUCCESS'
    );
  } catch {
    return /^\s*\{\s*"status"\s*:\s*"SUCCESS"/.test(text);
  }
}
