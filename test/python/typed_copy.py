"""Typed results (datetime, date, time, Decimal, UUID, bytes, also inside exception args) for the
copy-through-the-service check, with the Celery under test as the judge.

    typed_copy.py write <backend>   stdin {"values": id, "failure": id}: store the typed results
    typed_copy.py read <backend>    stdin [ids]: print one JSON line [{id, state, result}]
    typed_copy.py get <backend>     like read, but block in AsyncResult.get() (Redis: subscribe
                                    first, print SUBSCRIBED, and take results only from PUBLISH)

<backend> is a result backend URL, or "s3" (settings from the environment, see s3_celery_app).
Values are described with their Python type names: {"__py__": type, "repr": repr(value)}.
"""
import datetime
import decimal
import json
import sys
import uuid

import kombu
from celery import Celery

TZ = datetime.timezone(datetime.timedelta(hours=5, minutes=30))
# kombu < 5.3 cannot store bytes (EncodeError): left out there.
TYPED_BYTES = tuple(int(x) for x in kombu.__version__.split('.')[:2]) >= (5, 3)


def typed_values():
    value = {
        'aware': datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=TZ),
        'naive': datetime.datetime(2024, 1, 2, 3, 4, 5),
        'date': datetime.date(2024, 2, 29),
        'time': datetime.time(3, 4, 5, 600),
        'decimal': decimal.Decimal('3.14159265358979323846264338327950288'),
        'uuid': uuid.UUID('12345678-1234-5678-1234-567812345678'),
        'nested': [decimal.Decimal('1.10'), {'when': datetime.date(2024, 1, 1)}],
    }
    if TYPED_BYTES:
        value['binary'] = b'\x00\x01binary\xff'
        value['text_bytes'] = b'caf\xc3\xa9'
    return value


def describe(v):
    if isinstance(v, BaseException):
        return {'__exc__': type(v).__name__, 'args': [describe(a) for a in v.args]}
    if isinstance(v, (list, tuple)):
        return [describe(x) for x in v]
    if isinstance(v, dict):
        return {str(k): describe(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float)):
        return v
    return {'__py__': type(v).__name__, 'repr': repr(v)}


def make_app(backend):
    if backend == 's3':
        from s3_celery_app import make_app as make_s3
        return make_s3()
    app = Celery('typed_copy', backend=backend, set_as_current=False)
    app.conf.update(result_serializer='json', accept_content=['json'])
    return app


def main():
    cmd, backend = sys.argv[1], sys.argv[2]
    app = make_app(backend)
    req = json.load(sys.stdin)
    if cmd == 'write':
        app.backend.store_result(req['values'], typed_values(), 'SUCCESS')
        exc = ValueError(decimal.Decimal('0.1'), uuid.UUID(int=7), datetime.date(2024, 3, 1))
        app.backend.store_result(req['failure'], exc, 'FAILURE', traceback='Traceback: typed\n')
        print('OK')
        return 0
    results = [app.AsyncResult(i) for i in req]
    if cmd == 'get':
        from celery.backends.redis import ResultConsumer
        # Celery's initial GET is switched off: results can only arrive through PUBLISH.
        ResultConsumer.on_wait_for_pending = lambda self, result, **kw: None
        for r in results:
            r.backend.add_pending_result(r)
        print('SUBSCRIBED', flush=True)
        values = [r.get(timeout=20, propagate=False) for r in results]
    else:
        values = [r.result for r in results]
    print(json.dumps([{'id': r.id, 'state': r.state, 'result': describe(v)}
                      for r, v in zip(results, values)]), flush=True)
    del results
    return 0


if __name__ == '__main__':
    sys.exit(main())
