"""Servers of one capture run: each on a free loopback port, started here and stopped here.

redis-server and memcached from the system; s3rver and pouchdb-server from the project's
node_modules (devDependencies). See ../shared/test-servers.md for the flags.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
BUCKET = 'celery-results'


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    """One child process listening on 127.0.0.1:port; `stop()` is idempotent."""

    def __init__(self, name, argv, port, cwd=None):
        self.name, self.port, self.proc = name, port, None
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f'{name} exited with {self.proc.returncode}: {argv}')
            try:
                socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f'{name} did not listen on {port} within 20 s')

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def _node_bin(name):
    path = os.path.join(ROOT, 'node_modules', '.bin', name)
    if not os.path.exists(path):
        raise SystemExit(f'{path} missing: run npm install')
    return path


class Servers:
    """Lazily started servers, one per kind, and their temp folders; `close()` stops all."""

    def __init__(self):
        self.running, self.dirs = {}, []

    def tmpdir(self, prefix):
        d = tempfile.mkdtemp(prefix=prefix)
        self.dirs.append(d)
        return d

    def port(self, kind):
        if kind not in self.running:
            self.running[kind] = getattr(self, '_start_' + kind)(free_port())
        return self.running[kind].port

    def _start_redis(self, port):
        return Server('redis-server', ['redis-server', '--port', str(port), '--bind', '127.0.0.1',
                                       '--save', '', '--appendonly', 'no'], port)

    _start_broker = _start_redis  # the worker-mode broker: its own server, out of MONITOR.txt

    def _start_memcached(self, port):
        user = ['-u', 'root'] if os.geteuid() == 0 else []
        return Server('memcached', ['memcached', '-l', '127.0.0.1', '-p', str(port), '-U', '0']
                      + user, port)

    def _start_s3(self, port):
        data = self.tmpdir('vectors-s3-')
        return Server('s3rver', ['node', _node_bin('s3rver'), '-d', data, '-a', '127.0.0.1',
                                 '-p', str(port), '--silent', '--configure-bucket', BUCKET], port)

    def _start_couchdb(self, port):
        cwd = self.tmpdir('vectors-pouch-')
        return Server('pouchdb-server', ['node', _node_bin('pouchdb-server'), '-m', '-p', str(port),
                                         '-o', '127.0.0.1', '-n', '--no-color', '-c',
                                         os.path.join(cwd, 'config.json')], port, cwd=cwd)

    def close(self):
        for server in self.running.values():
            server.stop()
        self.running = {}
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)
        self.dirs = []
