"""django-celery-results' DatabaseBackend (result_backend = 'django-db') on the test PostgreSQL.

Usage: django_celery.py migrate|write|read|group-read|rows|chord ARGS-JSON (read also does
group-read for args.group and rows for args.rows, one interpreter start); env PG_HOST, PG_PORT,
PG_DB (user postgres, trust auth) and RESULT_EXTENDED=1 for result_extended. `migrate` runs
the app's real Django migrations. Prints one JSON line per result.
"""
import datetime as dt
import decimal
import json
import os
import sys
import uuid

import django
from django.conf import settings

settings.configure(
    DATABASES={'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ['PG_DB'],
        'USER': 'postgres',
        'HOST': os.environ['PG_HOST'],
        'PORT': os.environ['PG_PORT'],
    }},
    INSTALLED_APPS=['django_celery_results'],
    USE_TZ=True,
    TIME_ZONE='Europe/Paris',  # not UTC: aware datetimes must still read back as UTC
    DEFAULT_AUTO_FIELD='django.db.models.AutoField',
)
django.setup()

from celery import Celery  # noqa: E402
from celery.result import AsyncResult  # noqa: E402

import db_results  # noqa: E402

app = Celery('django_interop')
app.conf.result_backend = 'django-db'
app.conf.result_extended = os.environ.get('RESULT_EXTENDED') == '1'
backend = app.backend


class QuotaExceeded(Exception):
    """A custom task exception (module __main__)."""


class Request:
    """The parts of a task request DatabaseBackend reads (result_extended)."""

    def __init__(self, task_id):
        self.id = task_id
        self.task = 'tasks.add'
        self.argsrepr = '(2, 3)'
        self.kwargsrepr = "{'x': 1}"
        self.hostname = 'w1@host'
        self.properties = {'periodic_task_name': 'nightly'}  # read by 2.4.0 and 2.5.1
        self.periodic_task_name = 'nightly'  # read by 2.6.0 (Celery's own request attribute)
        self.children = []
        self.group = None
        self.parent_id = None
        self.root_id = None
        self.chord = None
        self.errbacks = None
        self.ignore_result = False
        self.delivery_info = {}
        self.reply_to = None
        self.correlation_id = task_id


def migrate(_args):
    from django.core.management import call_command
    call_command('migrate', 'django_celery_results', verbosity=0)
    print(json.dumps({'migrated': True}))


def write(args):
    pause = args.get('pause', 0)
    ok, bad, custom, gid = args['ok'], args['bad'], args['custom'], args['group']
    db_results.started_then_progress(backend, ok, pause)
    backend.mark_as_done(ok, {
        'aware': dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        'price': decimal.Decimal('1.10'),
        'id': uuid.UUID('12345678-1234-5678-1234-567812345678'),
        'big': 2 ** 70,
        'tuple': (1, 'a'),
        'text': 'é\u2603',
    }, request=Request(ok))
    backend.mark_as_failure(bad, ValueError('bad', 1), traceback='Traceback: boom')
    # With a request (as in a worker): 2.4.0 keeps the traceback only then.
    backend.mark_as_failure(custom, QuotaExceeded('over', 3), traceback='Traceback: quota',
                            request=Request(custom))
    db_results.save_group(app, gid, [ok, bad])
    print(json.dumps({'written': True}))


def read(args):
    for task_id in args['ids']:
        res = AsyncResult(task_id, app=app)
        meta = backend.get_task_meta(task_id)
        out = db_results.describe_outcome(
            {'id': task_id, 'state': res.state, 'traceback': res.traceback}, res.result)
        out['date_done'] = res.date_done.isoformat() if res.date_done else None
        out['children'] = repr(meta.get('children'))
        for field in ('task_name', 'args', 'kwargs', 'worker', 'periodic_task_name'):
            out[field] = repr(meta.get(field))
        print(json.dumps(out))
    if 'group' in args:
        group_read(args)
    if 'rows' in args:
        rows({'ids': args['rows']})


def group_read(args):
    db_results.group_read(app, args)


def rows(args):
    """Raw columns as Django's ORM sees them (content types, JSON text)."""
    from django_celery_results.models import TaskResult
    for task_id in args['ids']:
        row = TaskResult.objects.get(task_id=task_id)
        print(json.dumps({'id': task_id, 'content_type': row.content_type,
                          'content_encoding': row.content_encoding, 'result': row.result,
                          'meta': row.meta, 'tz': str(row.date_done.tzinfo),
                          # 2.6.0 (migration 0012) only
                          'date_started': (row.date_started.isoformat() if row.date_started
                                           else None) if hasattr(row, 'date_started')
                          else 'absent'}))


def counter(gid):
    from django_celery_results.models import ChordCounter
    row = ChordCounter.objects.filter(group_id=gid).first()
    return {'group': gid, 'count': row.count if row else None,
            'sub_tasks': row.sub_tasks if row else None}


def chord(args):
    """on_chord_part_return for each member of args.parts (as a worker does after storing
    each result; the callback goes to an in-memory broker), then Celery's apply_chord for
    args.apply (as chord.run calls it). Prints the counter after each step."""
    app.conf.broker_url = 'memory://'
    parts = args['parts']
    print(json.dumps(counter(parts['group'])))
    for task_id in parts['ids']:
        req = Request(task_id)
        req.group = parts['group']
        req.chord = app.signature('tasks.callback')
        backend.on_chord_part_return(req, 'SUCCESS', None)
        print(json.dumps(counter(parts['group'])))
    applied = args['apply']
    backend.apply_chord((applied['group'], [AsyncResult(i, app=app) for i in applied['ids']]),
                        {'chord_size': len(applied['ids'])})
    print(json.dumps(counter(applied['group'])))


if __name__ == '__main__':
    {'migrate': migrate, 'write': write, 'read': read, 'group-read': group_read,
     'rows': rows, 'chord': chord}[sys.argv[1]](json.loads(sys.argv[2]))
