#!/usr/bin/env python3
"""Compare two packed vector fixtures vector by vector, with the run-dependent parts normalised.

    python3 scripts/celery-vectors/diff_vectors.py <committed .json.gz> <fresh .json.gz> [-v]

Normalised (they differ on every run; README.md "What differs run to run"):
- timestamps of the run (date_done and anything else dated, not the scenarios' 2024-01-02
  values) -> <time>, and so the byte counts and SHA-256s derived from the bytes;
- TTLs one or two seconds under the expiry (Redis TTL, memcached t) -> the expiry;
- CouchDB `_rev`s and S3 ETags (hashes of the bytes);
- the STARTED pid (`volatile: ["result.pid"]`);
- random task ids (uuid4): the chord body's parent_id on filesystem, S3 and CouchDB is the id of
  Celery's celery.chord_unlock task;
- `error_traceback` of a read that raised (names the capture's own reader module and lines);
- the order of a step's Redis PUBLISHes (`published`): the client and the worker publish on
  their own connections (the group scenario saves its GroupResult while the members run).
Prints one line per differing vector and a summary; exits 1 when a vector differs or is missing
from the fresh capture (vectors only in the fresh one are listed, not an error).
"""
import gzip
import json
import re
import sys

RUN_TIME = re.compile(r'20(?!24-01-02)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)?')
UUID4 = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')
PID = re.compile(r'(\\?"pid\\?": |\'pid\': )\d+')  # also inside a CouchDB document's value
REV = re.compile(r'"(_rev|couch_rev)": ?"\d+-[0-9a-f]+"|"\\"[0-9a-f]{32}\\""')
DROP = {'raw_length', 'raw_sha256', 'payload_length', 'payload_sha256', 'couch_rev', 's3_etag',
        'error_traceback'}


def norm(value, key=None):
    if isinstance(value, str):
        text = RUN_TIME.sub('<time>', value)
        text = UUID4.sub('<uuid4>', PID.sub(r'\g<1><pid>', text))
        return REV.sub('<rev>', text)
    if isinstance(value, list):
        return [norm(v) for v in value]
    if isinstance(value, dict):
        out = {k: norm(v, k) for k, v in value.items() if k not in DROP}
        if isinstance(out.get('published'), list):
            out['published'] = sorted(out['published'], key=lambda p: p['channel'])
        return out
    if key == 'ttl' and isinstance(value, int) and 86390 < value <= 86400:
        return 86400
    if key == 'pid' and isinstance(value, int):
        return '<pid>'
    return value


def first_diff(a, b, path=''):
    if type(a) is not type(b):
        return f'{path}: {str(a)[:160]!r} != {str(b)[:160]!r}'
    if isinstance(a, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f'{path}.{k}: only in {"fresh" if k in b else "committed"}'
            d = first_diff(a[k], b[k], f'{path}.{k}')
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f'{path}: {len(a)} items != {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, f'{path}[{i}]')
            if d:
                return d
        return None
    return None if a == b else f'{path}: {str(a)[:160]!r} != {str(b)[:160]!r}'


def load(path):
    with gzip.open(path) as f:
        return json.load(f)


def main(argv):
    verbose = '-v' in argv
    committed, fresh = (load(p) for p in [a for a in argv if a != '-v'][:2])
    old = {v['vector']: v for v in committed['vectors']}
    new = {v['vector']: v for v in fresh['vectors']}
    same, differ = 0, []
    for name, v in old.items():
        if name not in new:
            continue
        d = first_diff(norm(v), norm(new[name]))
        if d:
            differ.append((name, d))
        else:
            same += 1
    missing = [n for n in old if n not in new]
    extra = [n for n in new if n not in old]
    for name, d in differ:
        print(f'DIFF {name}{d if verbose else ": " + d.split(":")[0]}')
    for name in missing:
        print(f'MISSING {name}')
    print(f'Celery {fresh["versions"]["celery"]}: {len(old)} committed, {len(new)} fresh; '
          f'{same} equal after normalising, {len(differ)} differ, {len(missing)} missing, '
          f'{len(extra)} only in the fresh capture'
          + (f' ({", ".join(sorted({n.rsplit("/", 1)[0] for n in extra}))})' if extra else ''))
    return 1 if differ or missing else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
