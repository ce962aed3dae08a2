"""A minimal stand-in for pycouchdb (not packaged by Debian) when it is not importable.

It implements what celery/backends/couchdb.py calls with the HTTP requests pycouchdb 1.16
sends: HEAD /db then PUT /db (create), GET /db/id, PUT /db/id, and for delete HEAD /db/id then
DELETE /db/id?rev=<ETag without quotes> (pycouchdb reads the revision from the ETag; on
pouchdb-server the ETag is a weak Express one, so the delete fails with 404 "missing", as in
the 5.5/5.6 fixtures). Used by test/python/couch_celery_interop.py and
scripts/celery-vectors/capture_vectors.py.
"""
import json
import sys
import types
import urllib.parse


def install():
    try:
        import pycouchdb  # noqa: F401
        return 'real'
    except ImportError:
        pass
    import requests

    class Error(Exception):
        pass

    class NotFound(Error):
        pass

    class Conflict(Error):
        pass

    def check(resp):
        if resp.status_code == 404:
            raise NotFound(resp.json().get('reason') if resp.text else 'not found')
        if resp.status_code in (409, 412):
            raise Conflict(resp.text)
        resp.raise_for_status()
        return resp

    class Database:
        def __init__(self, session, base, name):
            self.session, self.url = session, f'{base}/{urllib.parse.quote(name, safe="")}'

        def _doc(self, doc_id):
            return f'{self.url}/{urllib.parse.quote(doc_id, safe="")}'

        def get(self, doc_id):
            return check(self.session.get(self._doc(doc_id))).json()

        def save(self, doc):
            resp = check(self.session.put(self._doc(doc['_id']), data=json.dumps(doc).encode(),
                                          headers={'Content-Type': 'application/json'}))
            doc['_rev'] = resp.json()['rev']
            return doc

        def delete(self, doc_or_id):
            doc_id = doc_or_id['_id'] if isinstance(doc_or_id, dict) else doc_or_id
            # pycouchdb splits the id into path parts: Celery < 5.6 passes bytes here, and this
            # raises the TypeError the 5.2.6/5.5.2 fixtures recorded
            doc_id = '/'.join(doc_id.split('/'))
            head = check(self.session.head(self._doc(doc_id)))
            rev = head.headers.get('etag', '').strip('"')
            check(self.session.delete(self._doc(doc_id), params={'rev': rev}))

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
    exc.__name__ = 'pycouchdb.exceptions'
    for cls in (Error, NotFound, Conflict):
        cls.__module__, cls.__qualname__ = 'pycouchdb.exceptions', cls.__name__
    exc.NotFound, exc.Conflict, exc.Error = NotFound, Conflict, Error
    mod.Server, mod.exceptions = Server, exc
    sys.modules['pycouchdb'] = mod
    sys.modules['pycouchdb.exceptions'] = exc
    return 'stand-in'
