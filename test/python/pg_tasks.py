"""Celery app and tasks for the PostgreSQL worker interop suite (worker: `-A pg_tasks`).

Result backend PG_URL (db+postgresql://...), or django-celery-results ('django-db') when
PG_DB (with PG_HOST, PG_PORT) is set; broker REDIS_BROKER_URL. Run as a script,
`pg_tasks.py send IDS-JSON` queues the tasks with the given ids and exits.
"""
import datetime as dt
import decimal
import json
import os
import sys
import time
import uuid

from celery import Celery

if os.environ.get('PG_DB'):
    # django-celery-results (result_backend = 'django-db') on PG_HOST:PG_PORT/PG_DB.
    import django
    from django.conf import settings
    settings.configure(
        DATABASES={'default': {
            'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ['PG_DB'],
            'USER': 'postgres', 'HOST': os.environ['PG_HOST'], 'PORT': os.environ['PG_PORT'],
        }},
        INSTALLED_APPS=['django_celery_results'], USE_TZ=True,
        DEFAULT_AUTO_FIELD='django.db.models.AutoField')
    django.setup()

app = Celery('pg_tasks', broker=os.environ.get('REDIS_BROKER_URL'),
             backend='django-db' if os.environ.get('PG_DB') else os.environ.get('PG_URL'))
app.conf.update(
    result_serializer='json',
    accept_content=['json'],
    task_serializer='json',
    task_track_started=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


class QuotaExceeded(Exception):
    """A user exception with several args (module pg_tasks)."""


@app.task(name='pg_tasks.typed', bind=True)
def typed(self, pause):
    time.sleep(pause)
    self.update_state(state='PROGRESS', meta={'current': 1, 'total': 2})
    time.sleep(pause)
    return {
        'when': dt.datetime(2026, 11, 30, 15, 55, 44, 123456),
        'aware': dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
        'day': dt.date(2024, 2, 29),
        'price': decimal.Decimal('1.10'),
        'id': uuid.UUID('12345678-1234-5678-1234-567812345678'),
        'blob': b'\x00\xff',
        'big': 2 ** 70,
        'pair': (1, 'a'),
    }


@app.task(name='pg_tasks.fail')
def fail(message, code):
    raise QuotaExceeded(message, code)


def send(ids):
    typed.apply_async((0.2,), task_id=ids['typed'])
    fail.apply_async(('over', 3), task_id=ids['fail'])
    print(json.dumps({'sent': True}))


if __name__ == '__main__':
    {'send': send}[sys.argv[1]](json.loads(sys.argv[2]))
