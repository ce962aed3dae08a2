"""Celery 5.2.6 rewrites one large result in place, in a loop (issue 17 §4).

Usage: fs_celery_rewrite.py <dir> <task_id> <rounds> <bytes>
Celery's FilesystemBackend opens the file with 'wb' (truncate) and then writes, so readers can
see an empty or cut-off file. Writes STARTED, then <rounds> PROGRESS metas carrying <bytes>
characters, then SUCCESS carrying the same; prints {"rounds": n, "size": bytes of the last file}.
"""
import json
import os
import sys

from celery import Celery


def main(directory, task_id, rounds, size):
    app = Celery('fs_rewrite', backend='file://' + directory)
    app.conf.result_serializer = 'json'
    app.conf.accept_content = ['json']
    be = app.backend
    blob = 'x' * size
    be.store_result(task_id, {'pid': os.getpid()}, 'STARTED')
    for i in range(rounds):
        be.store_result(task_id, {'current': i, 'total': rounds, 'blob': blob}, 'PROGRESS')
    be.store_result(task_id, {'done': True, 'blob': blob}, 'SUCCESS')
    path = be._filename(be.get_key_for_task(task_id))
    print(json.dumps({'rounds': rounds, 'size': os.path.getsize(path)}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
