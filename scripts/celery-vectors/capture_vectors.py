#!/usr/bin/env python3
"""Capture golden vectors from the installed Celery: the api-mode scenarios on the filesystem backend.

Writes <out>/manifest.json and the stored bytes (<backend>/<pass>-api/<scenario>/<file>) in the
layout of ../shared/celery-vectors*/ (see its README), which pack_vectors.py turns into the
test fixture. Run it with the Celery to capture, e.g.

    .cache/celery/5.6.3/python scripts/celery-vectors/capture_vectors.py /tmp/vectors-5.6
    python3 scripts/celery-vectors/pack_vectors.py /tmp/vectors-5.6 /tmp/celery-5.6.3.json.gz

It covers the backend API scenarios (success values, failures, retry, revoked, started,
progress) in the plain and extended passes on file://, with the fixtures' scenario names and
id scheme. The committed fixtures come from a fuller capture (../shared/celery-vectors*: worker
mode, groups, chords, forget, and the Redis, S3, memcached and CouchDB blocks; some scenario
values there are richer than the ones below), so this script captures a smaller set in the
same format, e.g. to check a new Celery release, rather than byte-identical fixtures.
"""
import base64
import datetime
import decimal
import hashlib
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import uuid

import celery
import kombu
from celery import Celery
from celery.result import AsyncResult, GroupResult

NS = uuid.UUID('6f1b1c84-0c6e-4d55-9b38-6a8f3f6d0c01')
TZ2 = datetime.timezone(datetime.timedelta(hours=2))

VALUES = {
    'success_int': 42,
    'success_float': 3.14159,
    'success_float_forms': [2.0, 1e-07, 1.5e+16, 1e+100, -0.0],
    'success_float_nan_inf': [float('nan'), float('inf'), float('-inf')],
    'success_str_unicode': 'h\u00e9llo \U0001f389 \u2028',
    'success_none': None,
    'success_bool': [True, False],
    'success_list': [1, 2.0, 'three', [4]],
    'success_nested_dict': {'a': {'b': [1, {'c': None}]}, '10': 'int key'},
    'success_datetime': datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
    'success_datetime_variants': {
        'naive': datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
        'naive_no_us': datetime.datetime(2024, 1, 2, 3, 4, 5),
        'utc': datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc),
        'plus2': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ2),
        'date': datetime.date(2024, 1, 2),
        'time': datetime.time(3, 4, 5, 600),
    },
    'success_uuid': uuid.UUID('12345678-1234-5678-1234-567812345678'),
    'success_decimal': decimal.Decimal('3.14159265358979323846264338327950288'),
    'success_bytes': b'\x00\x01binary\xff',
}
FAILURES = {
    'failure_value_error': ValueError('bad'),
    'failure_key_error': KeyError('k'),
    'failure_multi_args': RuntimeError('several', 2, 3.5, None, ['x', {'y': 1}]),
    'failure_no_args': ZeroDivisionError(),
}


def form(v):
    """The manifest's JSON form of a Python value (see the vectors README)."""
    if isinstance(v, BaseException):
        t = type(v)
        return {'__exception__': {'type': t.__qualname__, 'module': t.__module__,
                                  'args': form(list(v.args)), 'str': str(v), 'repr': repr(v)}}
    if isinstance(v, float) and not math.isfinite(v):
        return {'__float__': 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf')}
    if isinstance(v, str) and len(v) > 4096:
        return {'__large_str__': {'length': len(v), 'sha256': hashlib.sha256(v.encode()).hexdigest(),
                                  'head': v[:64]}}
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return {'__datetime__': v.isoformat()}
    if isinstance(v, bytes):
        return {'__bytes__': base64.b64encode(v).decode('ascii')}
    if isinstance(v, (list, tuple)):
        return [form(x) for x in v]
    if isinstance(v, dict):
        return {str(k): form(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return {'__repr__': repr(v)}


def stored_items(folder, rel):
    items = []
    for name in sorted(os.listdir(folder)):
        if name.startswith('.fs-backend-'):
            continue
        with open(os.path.join(folder, name), 'rb') as f:
            data = f.read()
        item = {'key': name, 'file': f'{rel}/{name}', 'raw_length': len(data),
                'raw_sha256': hashlib.sha256(data).hexdigest(), 'ttl': None}
        try:
            item['raw_text'] = data.decode('utf-8')
            item['raw_encoding'] = 'utf-8'
        except UnicodeDecodeError:
            item['raw_base64'] = base64.b64encode(data).decode('ascii')
            item['raw_encoding'] = 'base64'
        items.append(item)
    return items


def expected_task(app, task_id):
    r = AsyncResult(task_id, app=app)
    try:
        meta = r._get_task_meta()
        out = {'kind': 'task', 'id': task_id, 'state': r.state, 'result': form(r.result),
               'traceback_present': r.traceback is not None,
               'date_done_raw': meta.get('date_done'), 'meta_keys': list(meta.keys())}
        if isinstance(r.result, BaseException):
            out['exception'] = form(r.result)['__exception__']
        for field in ('group_id', 'parent_id', 'name', 'args', 'kwargs', 'worker', 'retries', 'queue'):
            if field in meta:
                out[field] = form(meta[field])
        return out
    except Exception as exc:  # recorded, as the shared captures do
        return {'kind': 'task', 'id': task_id, 'error': repr(exc)}


class Request:
    """A worker-like request for the extended pass."""
    def __init__(self, name, task_id, args):
        self.id = task_id
        self.task = name
        self.args = args
        self.kwargs = {}
        self.hostname = 'w1@vectors'
        self.retries = 0
        self.delivery_info = {'routing_key': 'celery'}
        self.group = None
        self.parent_id = None
        self.root_id = task_id
        self.chord = None
        self.ignore_result = False
        self.stamped_headers = None
        self.stamps = {}


def scenarios(backend, extended, tid):
    """(scenario, action) pairs; each action writes through Celery's backend API."""
    req = (lambda name, i, *a: Request(name, i, list(a))) if extended else (lambda *a: None)
    out = []
    for name, value in VALUES.items():
        out.append((name, lambda b, n=name, v=value: b.store_result(
            tid(n), v, 'SUCCESS', request=req('vectortasks.value', tid(n), n))))
    for name, exc in FAILURES.items():
        out.append((name, lambda b, n=name, e=exc: b.mark_as_failure(
            tid(n), e, traceback='Traceback (most recent call last):\n', request=req('vectortasks.fail', tid(n), n))))
    out.append(('retry', lambda b: b.mark_as_retry(tid('retry'), ValueError('try again'), request=req('vectortasks.retry', tid('retry')))))
    out.append(('revoked', lambda b: b.mark_as_revoked(tid('revoked'), reason='revoked')))
    out.append(('started', lambda b: b.mark_as_started(tid('started'), pid=4242, hostname='w1@vectors')))
    out.append(('progress', lambda b: b.store_result(tid('progress'), {'current': 3, 'total': 10}, 'PROGRESS',
                                                     request=req('vectortasks.progress', tid('progress')))))
    return out


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    vectors = []
    for pass_name in ('plain', 'extended'):
        extended = pass_name == 'extended'
        for scenario, action in scenarios(None, extended, lambda n, p=pass_name: str(uuid.uuid5(NS, f'{p}/api/{n}'))):
            work = tempfile.mkdtemp(prefix='vectors-')
            try:
                app = Celery('vectors', backend=f'file://{work}', set_as_current=False)
                app.conf.update(result_serializer='json', accept_content=['json'], result_extended=extended)
                task_id = str(uuid.uuid5(NS, f'{pass_name}/api/{scenario}'))
                write_error = None
                try:
                    action(app.backend)
                except Exception as exc:  # e.g. EncodeError for bytes on kombu 5.2
                    t = type(exc)
                    write_error = {'type': t.__qualname__, 'module': t.__module__, 'message': str(exc)}
                rel = f'filesystem/{pass_name}-api/{scenario}'
                dest = os.path.join(out_dir, rel)
                os.makedirs(dest, exist_ok=True)
                for name in os.listdir(work):
                    if not name.startswith('.fs-backend-'):
                        shutil.copyfile(os.path.join(work, name), os.path.join(dest, name))
                vectors.append({
                    'vector': f'filesystem/{pass_name}-api/{scenario}', 'backend': 'filesystem',
                    'pass': pass_name, 'result_extended': extended, 'mode': 'api', 'scenario': scenario,
                    'phase': 'final', 'backend_url': 'file:///<dir>', 'task_ids': [task_id], 'group_ids': [],
                    'write_error': write_error, 'stored': stored_items(dest, rel),
                    'expected': [expected_task(app, task_id)],
                })
            finally:
                shutil.rmtree(work, ignore_errors=True)
    manifest = {
        'format': 1,
        'generator': 'scripts/celery-vectors/capture_vectors.py (filesystem, api mode)',
        'versions': {'celery': celery.__version__, 'kombu': kombu.__version__,
                     'python': platform.python_version()},
        'settings': {'result_serializer': 'json', 'accept_content': ['json'],
                     'result_expires': 'default (1 day = 86400 s)'},
        'id_scheme': 'task ids are uuid5(6f1b1c84-0c6e-4d55-9b38-6a8f3f6d0c01, "<pass>/<mode>/<name>")',
        'vectors': vectors,
    }
    with open(os.path.join(out_dir, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=1)
    print(f'{out_dir}: Celery {celery.__version__}, {len(vectors)} vectors')


if __name__ == '__main__':
    main()
