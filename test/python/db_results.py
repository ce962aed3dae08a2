"""What pg_celery.py (Celery's DatabaseBackend) and django_celery.py (django-celery-results)
both do with a Celery app: the STARTED/PROGRESS steps, saving a group, describing what
AsyncResult reads back, and restoring a group. Imported from the script's own folder.
"""
import json
import time

from celery.result import AsyncResult, GroupResult


def describe(value):
    return {'type': type(value).__name__, 'repr': repr(value)}


def started_then_progress(backend, task_id, pause):
    """STARTED, then PROGRESS meta, each kept `pause` seconds so a poller sees every state."""
    backend.mark_as_started(task_id)
    time.sleep(pause)
    backend.store_result(task_id, {'current': 1, 'total': 3}, 'PROGRESS')
    time.sleep(pause)


def save_group(app, gid, task_ids):
    GroupResult(gid, [AsyncResult(i, app=app) for i in task_ids], app=app).save(app.backend)


def describe_outcome(out, value):
    """`exc` (type, module, arg reprs) for an exception, else `result` and dict `items`."""
    if isinstance(value, BaseException):
        out['exc'] = {'type': type(value).__name__, 'module': type(value).__module__,
                      'args': [repr(a) for a in value.args]}
    else:
        out['result'] = describe(value)
        if isinstance(value, dict):
            out['items'] = {k: describe(v) for k, v in value.items()}
    return out


def group_read(app, args):
    restored = GroupResult.restore(args['group'], app=app, backend=app.backend)
    print(json.dumps({'group': restored.id, 'ids': [r.id for r in restored.results]}))
