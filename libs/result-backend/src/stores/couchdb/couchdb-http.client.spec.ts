import { isStaleConnection } from './couchdb-http.client.js';

describe('isStaleConnection: a kept-alive socket the server closed', () => {
  const socketError = Object.assign(new Error('other side closed'), {
    code: 'UND_ERR_SOCKET',
  });
  it.each([
    ["undici's SocketError", socketError],
    [
      'fetch failed, caused by it',
      new TypeError('fetch failed', { cause: socketError }),
    ],
    [
      'a reset',
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    ],
    ['nano passing the message on', new Error('other side closed')],
  ])('%s: yes', (_, err) => expect(isStaleConnection(err)).toBe(true));

  it.each([
    [
      'refused',
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
    ],
    [
      'an HTTP error',
      Object.assign(new Error('conflict'), { statusCode: 409 }),
    ],
    ['aborted', new Error('aborted')],
    ['not an error', 'other'],
    ['nothing', undefined],
  ])('%s: no', (_, err) => expect(isStaleConnection(err)).toBe(false));
});
