/** The part of Node's `http.ServerResponse` that {@link responseAbortSignal} uses. @publicApi */
export interface ClosableResponse {
  /** True once the whole response was sent. */
  readonly writableFinished: boolean;
  /** Node's `close` event: the response ended or its connection went away. */
  once(event: 'close', listener: () => void): unknown;
}

/**
 * An `AbortSignal` that aborts when the client goes away before the response is complete, for
 * `waitFor`/`join`/`watch({ signal })` in a long-poll handler, so a dropped client releases its
 * subscription at once instead of at the timeout. Pass the Express response (`@Res({ passthrough:
 * true })`) or Fastify's `reply.raw`.
 * @example
 * \@Get(':id/result')
 * result(\@Param('id') id: string, \@Res({ passthrough: true }) res: Response) {
 *   return this.results.waitFor(id, { timeout: 30_000, signal: responseAbortSignal(res) });
 * }
 * @publicApi
 */
export function responseAbortSignal(response: ClosableResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
