"""Where does pylibmc (Celery's memcached client) put each key?

Input (stdin, JSON): {"servers": ["127.0.0.1:P1", ...], "keys": [...], "value": "..."}
pylibmc.Client(servers) with default behaviors (as Celery's cache backend builds it) sets every
key to `value`; then each server is asked directly (plain text `get`) which keys it holds.
Output (stdout, last line, JSON): {"behaviors": {...}, "placement": {key: server index}}.
"""
import json
import socket
import sys

import pylibmc


def raw_has(addr, key, value):
    host, port = addr.rsplit(':', 1)
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b'get ' + key.encode('utf-8') + b'\r\n')
        buf = b''
        while not buf.endswith(b'END\r\n'):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        return buf.startswith(b'VALUE ') and value.encode('utf-8') in buf


def main():
    req = json.loads(sys.stdin.read())
    servers, keys, value = req['servers'], req['keys'], req.get('value', 'x')
    client = pylibmc.Client(servers)
    for k in keys:
        client.set(k, value, 600)
    placement = {}
    for k in keys:
        where = [i for i, addr in enumerate(servers) if raw_has(addr, k, value)]
        placement[k] = where[0] if len(where) == 1 else where
    behaviors = client.behaviors
    print(json.dumps({'behaviors': {'hash': behaviors['hash'], 'distribution': behaviors['distribution']},
                      'placement': placement}))


if __name__ == '__main__':
    main()
