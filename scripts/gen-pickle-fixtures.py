#!/usr/bin/env python3
"""Regenerate libs/result-backend/src/protocol/pickle/fixtures/pickles.json.

Each entry: a value pickled with CPython (protocols 0-5) and the view the JS reader must give
after `pythonToCeleryJson` (kombu envelopes for typed values, lists for tuples and sets,
Celery exception dicts for exceptions). Run: /usr/bin/python3 scripts/gen-pickle-fixtures.py
"""
import base64
import collections
import datetime as dt
import decimal
import json
import os
import pickle
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'libs', 'result-backend', 'src', 'protocol', 'pickle', 'fixtures', 'pickles.json')


def env(t, v):
    return {'__type__': t, '__value__': v}


def view(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (bytes, bytearray)):
        try:
            return env('bytes', bytes(v).decode('utf-8'))
        except UnicodeDecodeError:
            return env('base64', base64.b64encode(bytes(v)).decode())
    if isinstance(v, (list, tuple, set, frozenset)):
        return [view(x) for x in v]
    if isinstance(v, collections.OrderedDict):
        return {'__python_object__': 'collections.OrderedDict'}
    if isinstance(v, dict):
        return {k: view(x) for k, x in v.items()}
    if isinstance(v, dt.datetime):
        return env('datetime', v.isoformat())
    if isinstance(v, dt.date):
        return env('date', v.isoformat())
    if isinstance(v, dt.time):
        return env('time', v.isoformat())
    if isinstance(v, decimal.Decimal):
        return env('decimal', str(v))
    if isinstance(v, uuid.UUID):
        return env('uuid', {'hex': v.hex})
    if isinstance(v, BaseException):
        return {'exc_type': type(v).__name__, 'exc_message': [view(a) for a in v.args],
                'exc_module': type(v).__module__}
    raise TypeError(repr(v))


shared = ['shared']
U = uuid.UUID('12345678-1234-5678-1234-567812345678')
VALUES = {
    'none': None, 'true': True, 'false': False,
    'ints': [0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -2**31, 2**31, 2**53 + 1, -2**64, 10**100],
    'floats': [1.5, -2.25, 1e300, 5e-324, 0.1, float('inf'), float('-inf')],
    'nan': float('nan'),
    'strings': ['', 'héllo ☃ 😀', 'x' * 300, 'quote\' "dq" \\ \n\t\x00'],
    'bytes': [b'', b'text', b'\x00\xff\x80', bytearray(b'ab')],
    'nested': [1, [2, [3, (4, 5)]], (), {'a': {'b': None}}],
    'dict': {'a': 1, 'b': [1, 2], 'c': {'d': 'e'}},
    'dict_keys': {1: 'int', 'k': 'str', True: 'bool', None: 'none'},
    'sets': [{1, 2, 3}, frozenset({4})],
    'datetimes': [dt.datetime(2026, 11, 30, 15, 55, 44, 123456), dt.datetime(2020, 1, 2, 3, 4, 5),
                  dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc),
                  dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
                  dt.datetime(2021, 6, 1, tzinfo=dt.timezone(-dt.timedelta(hours=8)))],
    'date_time': [dt.date(2024, 2, 29), dt.time(12, 30, 1, 500)],
    'decimals': [decimal.Decimal('1.10'), decimal.Decimal('-1E+2'), decimal.Decimal('3.14159265358979323846264338327950288')],
    'uuid': [U, uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)],
    'shared_refs': [shared, shared, U, U],
    'exceptions': [ValueError('bad', 1), KeyError('k'), Exception()],
    'exception_dict': {'exc_type': 'ValueError', 'exc_message': ['boom'], 'exc_module': 'builtins'},
    'ordered_dict': collections.OrderedDict([('a', 1)]),
}


def main():
    out = []
    for name, value in VALUES.items():
        for proto in range(0, 6):
            out.append({'name': name, 'protocol': proto,
                        'hex': pickle.dumps(value, protocol=proto).hex(), 'view': view(value)})
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=0)
        f.write('\n')
    print(f'{len(out)} pickles from Python {sys.version.split()[0]} -> {os.path.relpath(OUT)}')


if __name__ == '__main__':
    main()
