"""Client side of the Redis live-interop suite, run with Debian's python3-celery.

  ping            wait (up to 30 s) until the worker answers app.control.ping
  send            stdin: [{"id", "name", "args", "revoke"?}]: revoke those first, then send_task
  read            stdin: [ids]: subscribe to every id (SUBSCRIBE only: the initial GET Celery
                  does is switched off, so results can arrive only through PUBLISH), print
                  "SUBSCRIBED", then get(timeout=10, propagate=False) each; print one JSON line.
"""
import json
import sys
import time

import redis_tasks  # noqa: F401  (exception classes must be importable for Celery to rebuild them)
from celery.backends.redis import ResultConsumer
from celery.result import AsyncResult

app = redis_tasks.app


def form(v):
    if isinstance(v, BaseException):
        t = type(v)
        return {'__exception__': {'type': t.__qualname__, 'module': t.__module__,
                                  'args': [form(a) for a in v.args], 'str': str(v)}}
    if isinstance(v, (list, tuple)):
        return [form(x) for x in v]
    if isinstance(v, dict):
        return {str(k): form(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return {'__repr__': repr(v)}


def ping():
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            print('PONG')
            return 0
    print('no worker answered', file=sys.stderr)
    return 1


def send():
    items = json.load(sys.stdin)
    for it in items:
        if it.get('revoke'):
            app.control.revoke(it['id'], reply=True, timeout=2)
    for it in items:
        app.send_task(it['name'], args=it.get('args', []), task_id=it['id'])
    print('SENT')
    return 0


def read():
    ids = json.load(sys.stdin)
    ResultConsumer.on_wait_for_pending = lambda self, result, **kw: None
    results = [AsyncResult(i, app=app) for i in ids]
    for r in results:
        r.backend.add_pending_result(r)
    print('SUBSCRIBED', flush=True)
    out = []
    for r in results:
        try:
            value = r.get(timeout=10, propagate=False)
            out.append({'id': r.id, 'state': r.state, 'result': form(value), 'traceback': r.traceback})
        except Exception as exc:  # report, do not crash the whole run
            out.append({'id': r.id, 'error': repr(exc)})
    print(json.dumps(out), flush=True)
    del results, r
    return 0


if __name__ == '__main__':
    sys.exit({'ping': ping, 'send': send, 'read': read}[sys.argv[1]]())
