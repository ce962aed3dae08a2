"""Celery 5.2.6 (pylibmc) side of the memcached interop tests.

Usage: python3 mc_celery.py <command> 'cache+memcached://h1:p1;h2:p2/'  (JSON on stdin)

  write  stdin {"success": id, "failure": id, "progress": id}: Celery's own backend writes a
         SUCCESS (result {"n": [1, 2.5, "é"]}), a FAILURE (mc_tasks.CustomError('custom message', 42))
         and a PROGRESS ({"current": 3, "total": 10}); prints the raw stored text of each key.
  read   stdin [id, ...]: prints what AsyncResult reports for each id.
  mget   stdin [key, ...]: pylibmc get_multi on the same server list; prints {key: [type, value]}.
Output: one JSON line.
"""
import json
import sys

from celery import Celery

import mc_tasks


def app_for(url):
    app = Celery('mc_interop')
    app.conf.update(result_backend=url, result_serializer='json', accept_content=['json'])
    return app


def write(app, req):
    b = app.backend
    b.store_result(req['success'], {'n': [1, 2.5, '\u00e9']}, 'SUCCESS')
    try:
        raise mc_tasks.CustomError('custom message', 42)
    except mc_tasks.CustomError as exc:
        b.mark_as_failure(req['failure'], exc)
    b.store_result(req['progress'], {'current': 3, 'total': 10}, 'PROGRESS')
    return {tid: b.get(b.get_key_for_task(tid)) for tid in req.values()}


def read(app, ids):
    out = {}
    for tid in ids:
        r = app.AsyncResult(tid)
        item = {'state': r.state, 'traceback': r.traceback}
        res = r.result
        if isinstance(res, BaseException):
            item['exception'] = {'type': type(res).__qualname__, 'module': type(res).__module__,
                                 'args': list(res.args)}
        else:
            item['result'] = res
        out[tid] = item
    return out


def mget(app, keys):
    client = app.backend.client
    got = client.get_multi(keys)
    return {k: [type(v).__name__, v if isinstance(v, (str, int)) else v.decode('utf-8')] for k, v in got.items()}


def main():
    command, url = sys.argv[1], sys.argv[2]
    req = json.loads(sys.stdin.read())
    app = app_for(url)
    result = {'write': write, 'read': read, 'mget': mget}[command](app, req)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
