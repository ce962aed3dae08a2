"""Celery 5.2.6 reads results from file:// directories and describes them as JSON.

Reads a JSON list on stdin: [{"dir": ..., "tasks": [ids], "groups": [ids]}]. Prints one
JSON line: [{"dir", "tasks": [{id, state, result, traceback, ...}], "groups": [...]}].
For FAILURE and REVOKED, "raised" is what AsyncResult.get() raises.
Values use the vectors' JSON form: exceptions {"__exception__": {...}}, non-finite floats
{"__float__": ...}, strings over 4096 characters {"__large_str__": {...}}.
"""
import hashlib
import json
import math
import sys

from celery import Celery, states
from celery.result import AsyncResult, GroupResult


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
    return {'__repr__': repr(v)}


def raised(r):
    try:
        r.get(timeout=5, propagate=True)
    except Exception as exc:  # what get() raises is the point
        return form(exc)
    return None


def describe_task(app, task_id):
    r = AsyncResult(task_id, app=app)
    try:
        out = {'id': task_id, 'state': r.state, 'result': form(r.result),
               'traceback': r.traceback, 'date_done_raw': r._get_task_meta().get('date_done')}
        if r.state in states.PROPAGATE_STATES:
            out['raised'] = raised(r)
        return out
    except Exception as exc:  # report, do not crash the whole run
        return {'id': task_id, 'error': repr(exc)}


def describe_group(app, group_id):
    g = GroupResult.restore(group_id, app=app)
    if g is None:
        return {'id': group_id, 'found': False}
    return {'id': group_id, 'found': True, 'results': [r.id for r in g.results]}


def main():
    out = []
    for item in json.load(sys.stdin):
        app = Celery('fs_interop_read', backend='file://' + item['dir'], set_as_current=False)
        app.conf.result_serializer = 'json'
        app.conf.accept_content = ['json']
        out.append({'dir': item['dir'],
                    'tasks': [describe_task(app, t) for t in item['tasks']],
                    'groups': [describe_group(app, g) for g in item['groups']]})
    print(json.dumps(out))


if __name__ == '__main__':
    main()
