import {
  McProtocolError,
  McReplyReader,
  McServerReplyError,
  type McReplyShape,
} from './memcached-reply.parser.js';

/** Feed `wire` one byte at a time and collect replies for `shapes`, in order. */
function readAll(wire: Buffer, shapes: McReplyShape[]): unknown[] {
  const r = new McReplyReader();
  const out: unknown[] = [];
  for (const byte of wire) {
    r.push(Buffer.from([byte]));
    for (
      let reply = r.next(shapes[0]);
      reply !== undefined && shapes.length > 0;
      reply = shapes.length ? r.next(shapes[0]) : undefined
    ) {
      out.push(reply);
      shapes.shift();
    }
  }
  return out;
}

describe('McReplyReader', () => {
  it('reads classic multi-get replies split anywhere, data with CRLF inside', () => {
    const wire = Buffer.from(
      'VALUE a 16 4\r\nx\r\ny\r\nVALUE \u00e9 4 1 99\r\n7\r\nEND\r\nEND\r\n',
      'utf8',
    );
    expect(readAll(wire, ['values', 'values'])).toEqual([
      {
        type: 'values',
        items: [
          { key: 'a', flags: 16, data: Buffer.from('x\r\ny') },
          { key: '\u00e9', flags: 4, data: Buffer.from('7') },
        ],
      },
      { type: 'values', items: [] },
    ]);
  });

  it('reads meta replies with and without a value', () => {
    const wire = Buffer.from('HD c12\r\nVA 2 f16 c3\r\nhi\r\nEN\r\nNS c0\r\n');
    expect(readAll(wire, ['meta', 'meta', 'meta', 'meta'])).toEqual([
      { type: 'meta', code: 'HD', tokens: ['c12'], data: null },
      {
        type: 'meta',
        code: 'VA',
        tokens: ['f16', 'c3'],
        data: Buffer.from('hi'),
      },
      { type: 'meta', code: 'EN', tokens: [], data: null },
      { type: 'meta', code: 'NS', tokens: ['c0'], data: null },
    ]);
  });

  it('turns ERROR, CLIENT_ERROR and SERVER_ERROR into error replies for any shape', () => {
    const out = readAll(
      Buffer.from(
        'SERVER_ERROR object too large for cache\r\nCLIENT_ERROR bad\r\nERROR\r\nVERSION 1.6.18\r\n',
      ),
      ['meta', 'values', 'line', 'line'],
    );
    expect(out.slice(0, 3).map((e) => (e as McServerReplyError).line)).toEqual([
      'SERVER_ERROR object too large for cache',
      'CLIENT_ERROR bad',
      'ERROR',
    ]);
    expect(out[0]).toBeInstanceOf(McServerReplyError);
    expect(out[3]).toEqual({ type: 'line', line: 'VERSION 1.6.18' });
  });

  it('rejects bytes that fit no reply', () => {
    const r = new McReplyReader();
    r.push(Buffer.from('garbage here\r\n'));
    expect(() => r.next('values')).toThrow(McProtocolError);
    const r2 = new McReplyReader();
    r2.push(Buffer.from('VA 1\r\nxyz'));
    expect(() => r2.next('meta')).toThrow(McProtocolError);
  });
});
