"""Celery app and tasks for the Redis live-interop suite (worker: `-A redis_tasks`).

Broker and result backend come from REDIS_BROKER_URL / REDIS_BACKEND_URL.
"""
import os
import time

from celery import Celery

app = Celery('redis_tasks',
             broker=os.environ.get('REDIS_BROKER_URL', 'redis://127.0.0.1:6379/1'),
             backend=os.environ.get('REDIS_BACKEND_URL', 'redis://127.0.0.1:6379/0'))
app.conf.update(
    result_serializer='json',
    accept_content=['json'],
    task_serializer='json',
    task_track_started=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


class CustomError(Exception):
    """A user exception with several args; Celery rebuilds it from `redis_tasks`."""


@app.task(name='redis_tasks.add')
def add(x, y):
    return x + y


@app.task(name='redis_tasks.fail_custom')
def fail_custom(message, code):
    raise CustomError(message, code)


@app.task(name='redis_tasks.retry_once', bind=True, max_retries=3)
def retry_once(self, value):
    if self.request.retries == 0:
        raise self.retry(exc=ValueError('first attempt failed'), countdown=0.2)
    return value


@app.task(name='redis_tasks.progress', bind=True)
def progress(self, steps, pause):
    for i in range(steps):
        time.sleep(pause)
        self.update_state(state='PROGRESS', meta={'current': i + 1, 'total': steps})
    time.sleep(pause)
    return {'done': steps}
