#!/usr/bin/env python3
"""Capture golden vectors from the installed Celery: the api- and worker-mode scenarios on every backend.

    <python with Celery> scripts/celery-vectors/capture_vectors.py --out DIR \
        [--backends filesystem,redis,s3,cache,couchdb] [--passes plain,extended] [--modes api,worker]

Writes DIR/manifest.json and the stored bytes (<backend>/<pass>-<mode>/<scenario>[/<phase>]/<key>,
plus redis/<pass>-<mode>/MONITOR.txt) in the layout of ../shared/celery-vectors*/ (see
scripts/celery-vectors/README.md); pack_vectors.py turns DIR into a test fixture. The interpreter
decides the Celery version: /usr/bin/python3 (Debian's 5.2.6) or .cache/celery/<v>/python.
`npm run vectors:capture -- --celery <v> --out <dir>` does both steps.

Servers are started here on free loopback ports and stopped at the end: redis-server (and a
second one as the worker's broker), memcached, s3rver and pouchdb-server (node_modules). CouchDB
uses pycouchdb when importable, else a stand-in with the same HTTP requests
(test/python/pycouchdb_standin.py).

api mode calls Celery's backend API (vector_scenarios.py); worker mode runs a real
`celery -A vectortasks worker` per block (vector_worker.py, vector_worker_scenarios.py). Scenario
names, ids (uuid5 of "<pass>/<mode>/<name>"), values and descriptions are those of the committed
fixtures, so a capture equals them except for what depends on the run (date_done, TTLs, the
STARTED pid, CouchDB _revs, S3 ETags, MONITOR timing; see README.md).
"""
import argparse
import os
import platform
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test',
                                'python'))
import pycouchdb_standin  # noqa: E402

PYCOUCHDB = pycouchdb_standin.install()

import celery  # noqa: E402
import kombu  # noqa: E402
from celery import Celery  # noqa: E402

from vector_redis import RedisStore  # noqa: E402
from vector_scenarios import scenarios  # noqa: E402
from vector_servers import Servers  # noqa: E402
from vector_stores import CacheStore, CouchStore, FilesystemStore, S3Store  # noqa: E402
from vector_views import expected  # noqa: E402
from vector_worker import Worker, WorkerContext  # noqa: E402
from vector_worker_scenarios import worker_scenarios  # noqa: E402
import vectortasks  # noqa: E402

STORES = {'redis': RedisStore, 'filesystem': FilesystemStore, 's3': S3Store,
          'cache': CacheStore, 'couchdb': CouchStore}
SETTINGS = {'result_serializer': 'json', 'accept_content': ['json'],
            'result_expires': 'default (1 day = 86400 s)'}
WORKER = 'celery worker -P solo -n w1@vectors -Q celery, Redis broker'


def make_app(name, settings, extended):
    app = Celery(name, set_as_current=False)
    app.conf.update(result_serializer='json', accept_content=['json'], result_extended=extended,
                    **settings)
    return app


def error_of(exc):
    t = type(exc)
    return {'type': t.__qualname__, 'module': t.__module__, 'message': str(exc)}


def capture_block(store, pass_name, mode, out, servers):
    """The vectors of one (backend, pass, mode) block."""
    extended = pass_name == 'extended'
    writer = make_app('vectors', store.settings(), extended)
    reader_settings = getattr(store, 'reader_settings', store.settings)()
    reader = make_app('vectors-reader', reader_settings, extended)
    if mode == 'api':
        steps, run, worker = scenarios(store.kind, pass_name), None, None
    else:
        broker = f'redis://127.0.0.1:{servers.port("broker")}/0'
        writer.conf.broker_url = broker
        worker = Worker(broker, store.settings(), extended)
        ctx = WorkerContext(worker, writer, reader)
        steps, run = worker_scenarios(pass_name), ctx
    try:
        return [v for sc in steps for v in scenario_vectors(store, pass_name, mode, out, sc,
                                                             writer, reader, run)]
    finally:
        if worker:  # api mode leaves its apps alone (no extra commands in MONITOR.txt)
            worker.stop()
            writer.close()
            reader.close()


def scenario_vectors(store, pass_name, mode, out, sc, writer, reader, ctx):
    extended = pass_name == 'extended'
    block = f'{store.kind}/{pass_name}-{mode}'
    base = {'vector': f'{block}/{sc.name}', 'backend': store.kind, 'pass': pass_name,
            'result_extended': extended, 'mode': mode, 'scenario': sc.name}
    if sc.not_applicable:
        yield {**base, 'phase': 'final', 'description': sc.not_applicable,
               'not_applicable': True, 'stored': [], 'task_ids': [], 'group_ids': [],
               'write_error': None, 'backend_url': store.backend_url, 'expected': []}
        return
    for phase, description, action in sc.steps:
        write_error = None
        try:
            if ctx is None:
                action(writer.backend, writer)
            else:
                action(ctx)
        except Exception as exc:  # e.g. EncodeError for bytes on kombu 5.2: recorded
            write_error = error_of(exc)
        multi = len(sc.steps) > 1
        rel = f'{block}/{sc.name}' + (f'/{phase}' if multi else '')
        snap = store.snapshot(out, rel, sc.key_ids)
        stored, published = snap if isinstance(snap, tuple) else (snap, None)
        vector = {**base, 'vector': base['vector'] + (f'@{phase}' if multi else ''),
                  'phase': phase, 'description': description,
                  'backend_url': store.backend_url, 'task_ids': sc.task_ids,
                  'group_ids': sc.group_ids, 'write_error': write_error, 'stored': stored}
        if published is not None:
            vector['published'] = published
        vector['expected'] = expected(reader, sc.task_ids, sc.group_ids)
        if ctx is not None:
            ctx.flush()
            if phase == 'started':
                vector['volatile'] = ['result.pid']
        yield vector


def capture(out, backends, passes, modes):
    import json
    vectortasks.check_lines()
    os.makedirs(out, exist_ok=True)
    servers = Servers()
    vectors, logs = [], []
    try:
        for kind in backends:
            store = STORES[kind](servers)
            try:
                for pass_name in passes:
                    for mode in modes:
                        if hasattr(store, 'begin_block'):
                            store.begin_block()
                        vectors += capture_block(store, pass_name, mode, out, servers)
                        if hasattr(store, 'end_block'):
                            log = f'{kind}/{pass_name}-{mode}/MONITOR.txt'
                            os.makedirs(os.path.join(out, os.path.dirname(log)), exist_ok=True)
                            with open(os.path.join(out, log), 'w', encoding='utf-8') as f:
                                f.write(store.end_block())
                            logs.append(log)
            finally:
                if hasattr(store, 'close'):
                    store.close()
    finally:
        servers.close()
    manifest = {
        'format': 1,
        'generator': 'scripts/celery-vectors/capture_vectors.py (%s mode; pycouchdb: %s)'
                     % ('+'.join(modes), PYCOUCHDB),
        'versions': {'celery': celery.__version__, 'kombu': kombu.__version__,
                     'python': platform.python_version()},
        'settings': {**SETTINGS, **({'worker': WORKER} if 'worker' in modes else {})},
        'id_scheme': 'task/group ids are uuid5(6f1b1c84-0c6e-4d55-9b38-6a8f3f6d0c01, '
                     '"<pass>/<mode>/<name>") so they are stable across runs and backends',
        'redis_monitor_logs': logs,
        'vectors': vectors,
    }
    with open(os.path.join(out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=1)
    print(f'{out}: Celery {celery.__version__}, {len(vectors)} vectors ({", ".join(backends)})')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--backends', default=','.join(STORES))
    parser.add_argument('--passes', default='plain,extended')
    parser.add_argument('--modes', default='api,worker')
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(',') if b]
    unknown = [b for b in backends if b not in STORES]
    if unknown:
        parser.error(f'unknown backend(s) {unknown}; known: {list(STORES)}')
    modes = [m for m in args.modes.split(',') if m]
    if set(modes) - {'api', 'worker'}:
        parser.error(f'unknown mode(s) in {modes}; known: api, worker')
    capture(args.out, backends, [p for p in args.passes.split(',') if p], modes)


def run_and_exit():
    """main(), then os._exit: the servers are stopped by then, and results Celery's clients still
    hold would try to reconnect to them from __del__ at interpreter exit (retrying for minutes)."""
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # noqa: B902 - reported, then the same hard exit
        import traceback
        traceback.print_exc()
        code = 1
    if isinstance(code, str):
        print(code, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


if __name__ == '__main__':
    run_and_exit()
