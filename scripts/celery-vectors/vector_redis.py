"""The Redis block of a capture: stored keys, PUBLISHes and the MONITOR log of Celery's own
connections (the capture's connections and the reader app's, which logs in as user `reader`,
are left out, as in the fixtures)."""
import re
import socket
import threading
import time
import uuid

import redis

from vector_stores import item, raw_fields, zset_file

LINE = re.compile(r'^\+?[\d.]+ \[(\d+) ([^\]]+)\] (.*)$')
ARG = re.compile(r'"((?:[^"\\]|\\.)*)"')
CUT = 400


class Monitor(threading.Thread):
    """MONITOR on its own connection: (db, address, [args]) in order."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(('127.0.0.1', port))
        self.sock.sendall(b'MONITOR\r\n')
        self.lines, self.buf = [], b''
        self.start()

    def run(self):
        try:
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    return
                self.buf += chunk
                *done, self.buf = self.buf.split(b'\r\n')
                for raw in done:
                    m = LINE.match(raw.decode('utf-8', 'replace'))
                    if m:
                        args = ARG.findall(m.group(3))  # Redis' escaped argument text
                        self.lines.append((m.group(1), m.group(2), args))
        except OSError:
            return

    def close(self):
        self.sock.close()


class RedisStore:
    kind = 'redis'
    backend_url = 'redis://HOST:PORT/0'

    def __init__(self, servers):
        self.port = servers.port('redis')
        self.client = redis.Redis(port=self.port, single_connection_client=True,
                                  client_name='vectors-capture')
        self.client.execute_command('ACL', 'SETUSER', 'reader', 'on', '>reader', '~*', '&*', '+@all')
        self.messages = []
        self.pubsub = redis.Redis(port=self.port, client_name='vectors-capture').pubsub()
        self.pubsub.psubscribe(**{'*': lambda m: self.messages.append(m)})
        self.listener = self.pubsub.run_in_thread(sleep_time=0.01, daemon=True)
        self.monitor, self.excluded = None, set()

    def settings(self):
        return {'result_backend': f'redis://127.0.0.1:{self.port}/0'}

    def reader_settings(self):
        return {'result_backend': f'redis://reader:reader@127.0.0.1:{self.port}/0'}

    def begin_block(self):
        self.monitor = Monitor(self.port)
        self.client.ping()

    def note_clients(self):
        """Remember the addresses of connections that are not Celery's writer."""
        for c in self.client.client_list():
            if c.get('user') == 'reader' or c.get('name') == 'vectors-capture' \
                    or int(c.get('psub', 0)) > 0:
                self.excluded.add(c['addr'])

    def end_block(self):
        """The block's MONITOR.txt text."""
        self.note_clients()
        time.sleep(0.2)
        self.monitor.close()
        self.monitor.join(5)
        tags, out = {}, []
        for db, addr, args in self.monitor.lines:
            if addr in self.excluded or not args or args[0].upper() in ('MONITOR', 'CLIENT', 'AUTH'):
                continue
            tag = tags.setdefault(addr, f'conn{len(tags) + 1}')
            # as in the fixtures: cut the escaped text at 400 characters, then show \" as "
            shown = [(a if len(a) <= CUT else f'{a[:CUT]}...[{len(a)} chars]').replace('\\"', '"')
                     for a in args]
            out.append(' '.join([f'db{db}', tag, args[0].upper(), *shown[1:]]))
        return '\n'.join(out) + '\n'

    def _drain(self):
        marker = f'vectors-marker-{uuid.uuid4()}'
        self.client.publish(marker, 'x')
        deadline = time.monotonic() + 10
        while not any(m['channel'] == marker.encode() for m in self.messages):
            if time.monotonic() > deadline:
                raise SystemExit('redis: PUBLISH marker not received')
            time.sleep(0.01)
        got, self.messages = self.messages, []
        return [m for m in got if not m['channel'].startswith(b'vectors-marker-')]

    def snapshot(self, out, rel, key_ids):
        self.note_clients()
        items = []
        for key in sorted(k.decode() for k in self.client.keys('*')):
            if not any(i in key for i in key_ids):
                continue
            kind, ttl = self.client.type(key).decode(), self.client.ttl(key)
            ttl = None if ttl < 0 else ttl
            if kind == 'zset':
                members = self.client.zrange(key, 0, -1, withscores=True)
                items.append(item(out, rel, key, zset_file(members), '.zset.json',
                                  redis_type='zset', ttl=ttl,
                                  members=[{**raw_fields(m), 'score': s} for m, s in members]))
            else:
                items.append(item(out, rel, key, self.client.get(key), redis_type=kind, ttl=ttl))
        by_sha = {i['raw_sha256']: i['file'] for i in items}
        published = []
        for m in self._drain():
            channel = m['channel'].decode()
            if any(i in channel for i in key_ids):
                entry = {'channel': channel, **raw_fields(m['data'])}
                if entry['raw_sha256'] in by_sha:
                    entry['same_bytes_as_file'] = by_sha[entry['raw_sha256']]
                published.append(entry)
        return items, published

    def close(self):
        self.listener.stop()
        self.listener.join(5)
        self.pubsub.close()
        self.client.close()
