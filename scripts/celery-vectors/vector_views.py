"""What Celery reports for the captured ids: the manifest's `expected` items.

The JSON form of values is the one of ../shared/celery-vectors/README.md ("The JSON form of
values"): exceptions, non-finite floats, bytes, large strings and typed values are tagged.
"""
import base64
import datetime
import hashlib
import math

from celery.result import AsyncResult, GroupResult

from vectortasks import relative_paths

LARGE = 4096
EXTENDED_FIELDS = ('group_id', 'parent_id', 'name', 'args', 'kwargs', 'worker', 'retries', 'queue')


def form(v):
    """The manifest's JSON form of a Python value."""
    if isinstance(v, BaseException):
        return {'__exception__': exception(v)}
    if isinstance(v, float) and not math.isfinite(v):
        return {'__float__': 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')}
    if isinstance(v, str):
        if len(v) <= LARGE:
            return v
        return {'__large_str__': {'length': len(v), 'sha256': hashlib.sha256(v.encode()).hexdigest(),
                                  'head': v[:40]}}
    if v is None or isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, (list, tuple)):
        return [form(x) for x in v]
    if isinstance(v, dict):
        return {str(k): form(x) for k, x in v.items()}
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {'__datetime__': v.isoformat()}
    if isinstance(v, bytes):
        return {'__bytes__': base64.b64encode(v).decode('ascii')}
    return {'__repr__': repr(v)}


def exception(exc):
    t = type(exc)
    return {'type': t.__qualname__, 'module': t.__module__, 'args': form(list(exc.args)),
            'str': str(exc), 'repr': repr(exc)}


def _node(r):
    return {'task': r.id, 'parent': r.parent.id if getattr(r, 'parent', None) else None}


def _date(value):
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def expected_task(app, task_id):
    """AsyncResult's view of one task id, with `.get(propagate=False)` for ready states."""
    r = AsyncResult(task_id, app=app)
    out = {'kind': 'task', 'id': task_id}
    try:
        meta = r._get_task_meta()
        result = r.result
        out.update({'state': r.state, 'result': form(result), 'result_repr': form(repr(result))})
        if isinstance(result, BaseException):
            out['exception'] = exception(result)
        tb = r.traceback
        out.update({'traceback_present': tb is not None, 'traceback': tb})
        children = r.children
        out.update({
            'children': None if children is None else [_node(c) for c in children],
            'date_done_raw': meta.get('date_done'), 'date_done': _date(r.date_done),
            'ready': r.ready(), 'successful': r.successful(), 'failed': r.failed(),
        })
        for field in EXTENDED_FIELDS:
            if field in meta:
                out[field] = form(meta[field])
        out['meta_keys'] = list(meta.keys())
        if r.ready():
            out['get'] = form(r.get(propagate=False, timeout=10, disable_sync_subtasks=False))
        return out
    except Exception as exc:  # a read that raised is recorded after what was read before it
        out['error'] = {'type': type(exc).__qualname__, 'module': type(exc).__module__,
                        'message': str(exc)}
        if len(out) > 3:
            import traceback
            out['error_traceback'] = relative_paths(traceback.format_exc())
        return out


def expected_group(app, group_id):
    """GroupResult.restore's view of one group id."""
    try:
        g = GroupResult.restore(group_id, app=app)
    except Exception as exc:
        return {'kind': 'group', 'id': group_id, 'error': {'type': type(exc).__qualname__,
                                                           'module': type(exc).__module__,
                                                           'message': str(exc)}}
    if g is None:
        return {'kind': 'group', 'id': group_id, 'found': False}
    return {'kind': 'group', 'id': group_id, 'found': True, 'group_class': type(g).__name__,
            'restored_id': g.id, 'parent': g.parent.id if g.parent else None,
            'results': [_node(r) for r in g.results], 'completed_count': g.completed_count(),
            'ready': g.ready(), 'states': [r.state for r in g.results]}


def expected(app, task_ids, group_ids):
    """Groups first, then tasks, in the order of the scenario's ids."""
    return [expected_group(app, g) for g in group_ids] + [expected_task(app, t) for t in task_ids]
