import { isListRefused } from './s3-listed.reader.js';

describe('isListRefused', () => {
  const sdkError = (name: string, status?: number): Error =>
    Object.assign(new Error(name), {
      name,
      $metadata: { httpStatusCode: status },
    });

  it('turns listing off for a refusal, not for an outage or a busy server', () => {
    expect(isListRefused(sdkError('AccessDenied', 403))).toBe(true);
    expect(isListRefused(sdkError('NotImplemented', 501))).toBe(true);
    expect(isListRefused(sdkError('MethodNotAllowed', 405))).toBe(true);
    expect(isListRefused(sdkError('InternalError', 500))).toBe(false);
    expect(isListRefused(sdkError('SlowDown', 503))).toBe(false);
    expect(isListRefused(sdkError('NoSuchBucket', 404))).toBe(false);
    expect(isListRefused(sdkError('ECONNREFUSED'))).toBe(false);
  });
});
