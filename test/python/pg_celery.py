"""Celery 5.2.6 DatabaseBackend (SQLAlchemy + psycopg2) on the test PostgreSQL.

Usage: pg_celery.py write|read|group-read ARGS-JSON; env PG_URL = db+postgresql://... and
RESULT_EXTENDED=1 for result_extended. Prints one JSON line per result.
"""
import datetime as dt
import decimal
import json
import os
import sys
import uuid

from celery import Celery
from celery.result import AsyncResult

import db_results


class QuotaExceeded(Exception):
    """A custom task exception (module pg_celery)."""


app = Celery('pg_interop')
app.conf.result_backend = os.environ['PG_URL']
app.conf.result_extended = os.environ.get('RESULT_EXTENDED') == '1'
backend = app.backend


def write(args):
    pause = args.get('pause', 0)
    ok, bad, custom, gid = args['ok'], args['bad'], args['custom'], args['group']
    db_results.started_then_progress(backend, ok, pause)
    backend.mark_as_done(ok, {
        'when': dt.datetime(2026, 11, 30, 15, 55, 44, 123456),
        'aware': dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        'price': decimal.Decimal('1.10'),
        'id': uuid.UUID('12345678-1234-5678-1234-567812345678'),
        'big': 2 ** 70,
        'tuple': (1, 'a'),
        'bytes': b'\x00\xff',
    })
    backend.mark_as_failure(bad, ValueError('bad', 1), traceback='Traceback: boom')
    backend.mark_as_failure(custom, QuotaExceeded('over', 3))
    db_results.save_group(app, gid, [ok, bad])
    print(json.dumps({'written': True}))


def read(args):
    for task_id in args['ids']:
        res = AsyncResult(task_id, app=app)
        out = db_results.describe_outcome({'id': task_id, 'state': res.state}, res.result)
        out['date_done'] = repr(type(res.date_done).__name__)
        print(json.dumps(out))


def group_read(args):
    db_results.group_read(app, args)


if __name__ == '__main__':
    {'write': write, 'read': read, 'group-read': group_read}[sys.argv[1]](json.loads(sys.argv[2]))
