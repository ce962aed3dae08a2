"""Celery 5.2.6's own CouchBackend against a CouchDB (pouchdb-server) shared with the TS store.

Celery's CouchDB backend needs pycouchdb, which Debian does not package. When pycouchdb is
importable (PYTHONPATH), it is used. Otherwise a minimal stand-in is installed under that
name: it implements only what celery/backends/couchdb.py calls (Server, Server.database,
Server.create, Database.get, Database.save, exceptions.NotFound/Conflict) with the same HTTP
requests pycouchdb sends (HEAD /db, PUT /db, GET /db/id, PUT /db/id). Celery's backend code,
encoder and AsyncResult are the real ones. The output says which was used ("pycouchdb").

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
import types
import urllib.parse


def install_stand_in():
    import requests

    class CouchError(Exception):
        pass

    class NotFound(CouchError):
        pass

    class Conflict(CouchError):
        pass

    def check(resp):
        if resp.status_code == 404:
            raise NotFound(resp.text)
        if resp.status_code in (409, 412):
            raise Conflict(resp.text)
        resp.raise_for_status()
        return resp

    class Database:
        def __init__(self, session, base, name):
            self.session, self.name = session, name
            self.url = f'{base}/{urllib.parse.quote(name, safe="")}'

        def _doc_url(self, doc_id):
            return f'{self.url}/{urllib.parse.quote(doc_id, safe="")}'

        def get(self, doc_id):
            return check(self.session.get(self._doc_url(doc_id))).json()

        def save(self, doc):
            resp = check(self.session.put(self._doc_url(doc['_id']), data=json.dumps(doc).encode(),
                                          headers={'Content-Type': 'application/json'}))
            doc['_rev'] = resp.json()['rev']
            return doc

    class Server:
        def __init__(self, base_url, authmethod='basic'):
            parts = urllib.parse.urlsplit(base_url)
            self.session = requests.Session()
            if parts.username:
                self.session.auth = (urllib.parse.unquote(parts.username),
                                     urllib.parse.unquote(parts.password or ''))
            self.base = f'{parts.scheme}://{parts.hostname}:{parts.port}'

        def database(self, name):
            db = Database(self.session, self.base, name)
            check(self.session.head(db.url))
            return db

        def create(self, name):
            db = Database(self.session, self.base, name)
            check(self.session.put(db.url))
            return db

    mod = types.ModuleType('pycouchdb')
    exc = types.ModuleType('pycouchdb.exceptions')
    exc.NotFound, exc.Conflict, exc.Error = NotFound, Conflict, CouchError
    mod.Server, mod.exceptions = Server, exc
    sys.modules['pycouchdb'] = mod
    sys.modules['pycouchdb.exceptions'] = exc


try:
    import pycouchdb  # noqa: F401
    USED = 'real'
except ImportError:
    install_stand_in()
    USED = 'stand-in'

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
