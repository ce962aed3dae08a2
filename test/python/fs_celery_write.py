"""Celery 5.2.6 writes a varied set of results into a file:// directory.

Usage: fs_celery_write.py <dir>
Prints one JSON line: a list of {key, kind, state, raw} where raw is what Celery's own
FilesystemBackend.get() reads back (UTF-8 text) and state what AsyncResult reports.
"""
import json
import sys
import uuid

from celery import Celery
from celery.result import AsyncResult, GroupResult


class CustomError(Exception):
    """A user exception with several args."""


def main(directory):
    app = Celery('fs_interop', backend='file://' + directory)
    app.conf.result_serializer = 'json'
    app.conf.accept_content = ['json']
    be = app.backend
    out = []

    def tid():
        return str(uuid.uuid4())

    def task(task_id):
        key = be.get_key_for_task(task_id).decode()
        out.append({'key': key, 'kind': 'task', 'id': task_id,
                    'state': AsyncResult(task_id, app=app).state,
                    'raw': be.get(key.encode()).decode('utf-8')})

    for value in [42, 'h\u00e9llo \U0001f389 \u2028', {'a': [1, 2.5, {'b': None}], 'c': True}, None,
                  [float('nan'), float('inf'), float('-inf')], 2 ** 64]:
        i = tid()
        be.store_result(i, value, 'SUCCESS')
        task(i)
    i = tid()
    try:
        raise CustomError('custom message', 42)
    except CustomError as exc:
        import traceback
        be.mark_as_failure(i, exc, traceback=traceback.format_exc())
    task(i)
    i = tid()
    be.mark_as_retry(i, ValueError('try again'), traceback='Traceback (most recent call last):\n')
    task(i)
    i = tid()
    be.mark_as_revoked(i, reason='revoked')
    task(i)
    i = tid()
    be.mark_as_started(i, pid=4242, hostname='w1@interop')
    task(i)
    i = tid()
    be.store_result(i, {'current': 3, 'total': 10}, 'PROGRESS')
    task(i)
    members = [tid() for _ in range(3)]
    for n, m in enumerate(members):
        be.store_result(m, n * 2, 'SUCCESS')
    gid = tid()
    GroupResult(gid, [AsyncResult(m, app=app) for m in members], app=app).save(backend=be)
    gkey = be.get_key_for_group(gid).decode()
    out.append({'key': gkey, 'kind': 'group', 'id': gid, 'state': None,
                'raw': be.get(gkey.encode()).decode('utf-8')})
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv[1])
