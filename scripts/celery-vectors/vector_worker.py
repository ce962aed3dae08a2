"""The worker side of a capture: a real `celery -A vectortasks worker` and the client that feeds it.

`Worker` starts the worker (solo pool, hostname w1@vectors, queue celery, a Redis broker of its
own) with the block's result backend settings, and stops it. `WorkerContext` is what the
worker-mode scenarios (vector_worker_scenarios.py) act through: send tasks with fixed ids, wait
until Celery's reader sees a state, hold and release gated tasks (vectortasks.hold), and a
barrier task that proves the solo worker has finished everything sent before it.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from celery.result import AsyncResult

HERE = os.path.dirname(os.path.abspath(__file__))
TEST_PYTHON = os.path.join(HERE, '..', '..', 'test', 'python')
READY = frozenset(('SUCCESS', 'FAILURE', 'REVOKED'))
TIMEOUT = 60


class Worker:
    """One worker process for one (backend, pass) block; `stop()` is idempotent."""

    def __init__(self, broker_url, settings, extended):
        self.gates = tempfile.mkdtemp(prefix='vectors-gates-')
        config = {**settings, 'broker_url': broker_url, 'result_serializer': 'json',
                  'accept_content': ['json'], 'result_extended': extended}
        path = [p for p in (os.environ.get('PYTHONPATH'), HERE, os.path.abspath(TEST_PYTHON)) if p]
        env = dict(os.environ, VECTORS_WORKER_CONFIG=json.dumps(config), VECTORS_GATES=self.gates,
                   PYTHONPATH=os.pathsep.join(path))
        self.log_path = os.path.join(self.gates, 'worker.log')
        self.log = open(self.log_path, 'wb')
        self.proc = subprocess.Popen(
            [sys.executable, '-m', 'celery', '-A', 'vectortasks', 'worker', '--pool', 'solo',
             '-n', 'w1@vectors', '-Q', 'celery', '--without-gossip', '--without-mingle',
             '--without-heartbeat', '-l', 'WARNING'],
            cwd=self.gates, env=env, stdin=subprocess.DEVNULL, stdout=self.log,
            stderr=subprocess.STDOUT)
        self.wait_file('ready', 'the worker to start')

    def wait_file(self, name, what):
        deadline = time.monotonic() + TIMEOUT
        while not os.path.exists(os.path.join(self.gates, name)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f'timed out waiting for {what}; worker log:\n{self.tail()}')
            time.sleep(0.02)

    def tail(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as f:
                return f.read()[-4000:]
        except OSError:
            return ''

    def stop(self):
        if self.proc.poll() is None:
            # open every gate first: a held task would delay the warm shutdown
            for name in os.listdir(self.gates):
                if name.endswith('.entered'):
                    open(os.path.join(self.gates, name[:-8] + '.open'), 'w').close()
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.gates, ignore_errors=True)


class WorkerContext:
    """The client side: `client` sends (a Celery app on the block's backend), `reader` reads."""

    def __init__(self, worker, client, reader):
        self.worker, self.client, self.reader = worker, client, reader
        self.deferred = []

    def later(self, action):
        """Run `action` after this step's snapshot and recorded view (`flush()`)."""
        self.deferred.append(action)

    def flush(self):
        while self.deferred:
            self.deferred.pop(0)()

    def send(self, name, args, task_id):
        return self.client.send_task(name, args=args, task_id=task_id)

    def sig(self, name, args, task_id=None):
        s = self.client.signature(name, args=args)
        return s.set(task_id=task_id) if task_id else s

    def wait(self, ids, states=READY):
        """Until Celery's reader sees every id in one of `states`."""
        deadline = time.monotonic() + TIMEOUT
        for i in ids:
            while AsyncResult(i, app=self.reader).state not in states:
                if time.monotonic() > deadline or self.worker.proc.poll() is not None:
                    raise SystemExit(f'{i} never reached {sorted(states)}; worker log:\n'
                                     + self.worker.tail())
                time.sleep(0.02)

    def entered(self, task_id):
        """Until the held task `task_id` runs (everything it stored before holding is stored)."""
        self.worker.wait_file(task_id + '.entered', f'{task_id} to be held')

    def release(self, task_id):
        open(os.path.join(self.worker.gates, task_id + '.open'), 'w').close()

    def barrier(self):
        """Until the worker ran everything sent before (its result is ignored: nothing stored)."""
        token = str(uuid.uuid4())
        self.client.send_task('vectortasks.barrier', args=[token], ignore_result=True)
        self.worker.wait_file('barrier-' + token, 'the barrier task')

    def run(self, name, args, task_id, states=READY):
        """Send one task, wait for its state and for the worker to be idle again."""
        self.send(name, args, task_id)
        self.wait([task_id], states)
        self.barrier()
