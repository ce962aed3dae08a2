"""Celery 5.2.6's own CouchBackend against a CouchDB (pouchdb-server) shared with the TS store.

Celery's CouchDB backend needs pycouchdb, which Debian does not package. When pycouchdb is
importable (PYTHONPATH), it is used. Otherwise a minimal stand-in is installed under that
name (pycouchdb_standin.py): it implements only what celery/backends/couchdb.py calls with
the same HTTP requests pycouchdb sends. Celery's backend code, encoder and AsyncResult are
the real ones. The output says which was used ("pycouchdb").

Reads one JSON object on stdin:
  {"url": "couchdb://127.0.0.1:PORT/db",
   "write": [{"id", "kind": "done"|"failure"|"started"|"revoked", "result"?, "exc"?}],
   "read": [task ids], "raw": [keys]}
Prints one JSON line: {"pycouchdb": "real"|"stand-in", "read": [...], "raw": {key: value|null}}.
"""
import base64
import datetime
import hashlib
import json
import math
import sys

import pycouchdb_standin  # noqa: E402  (this folder: the script's own sys.path[0])

USED = pycouchdb_standin.install()

from celery import Celery  # noqa: E402
from celery.result import AsyncResult  # noqa: E402


def form(v):
    if isinstance(v, BaseException):
        t = type(v)
        return {'__exception__': {'type': t.__qualname__, 'module': t.__module__,
                                  'args': form(list(v.args)), 'str': str(v)}}
    if isinstance(v, float) and not math.isfinite(v):
        return {'__float__': 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')}
    if isinstance(v, str) and len(v) > 4096:
        return {'__large_str__': {'length': len(v), 'sha256': hashlib.sha256(v.encode()).hexdigest()}}
    if isinstance(v, (list, tuple)):
        return [form(x) for x in v]
    if isinstance(v, dict):
        return {str(k): form(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {'__datetime__': v.isoformat()}
    if isinstance(v, bytes):
        return {'__bytes__': base64.b64encode(v).decode('ascii')}
    return {'__repr__': repr(v)}


def main():
    req = json.loads(sys.stdin.read())
    app = Celery('couch_interop', backend=req['url'])
    app.conf.update(result_serializer='json', accept_content=['json'])
    backend = app.backend
    for w in req.get('write', []):
        kind = w['kind']
        if kind == 'done':
            backend.mark_as_done(w['id'], w.get('result'))
        elif kind == 'failure':
            backend.mark_as_failure(w['id'], ValueError(w.get('exc', 'bad')))
        elif kind == 'started':
            backend.mark_as_started(w['id'], pid=4242, hostname='w1@interop')
        elif kind == 'revoked':
            backend.mark_as_revoked(w['id'], reason='revoked')
    read = []
    for task_id in req.get('read', []):
        r = AsyncResult(task_id, app=app)
        try:
            read.append({'id': task_id, 'state': r.state, 'result': form(r.result),
                         'date_done_raw': r._get_task_meta().get('date_done')})
        except Exception as exc:  # report, do not crash the run
            read.append({'id': task_id, 'error': repr(exc)})
    raw = {key: backend.get(key) for key in req.get('raw', [])}
    print(json.dumps({'pycouchdb': USED, 'read': read, 'raw': raw}))


if __name__ == '__main__':
    main()
