#!/usr/bin/env python3
"""Pack a captured Celery vector folder into the one file the tests read.

The folder has the layout capture_vectors.py writes (and ../shared/celery-vectors*/ have):
manifest.json plus the stored bytes under <backend>/<pass>-<mode>/... . Bytes the manifest keeps
only in files (``raw_in_file_only``, over 16 KiB) are inlined as ``raw_text`` (or ``raw_base64``)
after their SHA-256 is checked, and the Redis MONITOR logs go under ``monitor_logs``, so the tests need nothing but the packed file. Python's json
module is used on purpose: it keeps big integers and float reprs of the manifest exact.

    python3 scripts/celery-vectors/pack_vectors.py <vector folder> [<out file>]

Default output: test/fixtures/celery-vectors/celery-<celery version>.json.gz
"""
import gzip
import hashlib
import json
import os
import sys


def pack(folder, out=None):
    with open(os.path.join(folder, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    inlined = 0
    for vector in manifest['vectors']:
        for item in vector['stored']:
            if 'raw_text' in item or 'raw_base64' in item:
                continue
            with open(os.path.join(folder, item['file']), 'rb') as f:
                data = f.read()
            if hashlib.sha256(data).hexdigest() != item['raw_sha256']:
                raise SystemExit('%s: sha256 mismatch' % item['file'])
            try:
                item['raw_text'] = data.decode('utf-8')
            except UnicodeDecodeError:
                import base64
                item['raw_base64'] = base64.b64encode(data).decode('ascii')
            inlined += 1
    # Redis MONITOR logs of each block (the Redis tests replay and compare them).
    manifest['monitor_logs'] = {}
    for log in manifest.get('redis_monitor_logs') or []:
        with open(os.path.join(folder, log), encoding='utf-8') as f:
            manifest['monitor_logs'][log] = f.read()
    version = manifest['versions']['celery']
    out = out or os.path.join('test', 'fixtures', 'celery-vectors', 'celery-%s.json.gz' % version)
    body = json.dumps(manifest, sort_keys=False).encode('utf-8')
    # mtime=0: the same vectors give the same bytes (no spurious git changes).
    with open(out, 'wb') as f:
        f.write(gzip.compress(body, compresslevel=9, mtime=0))
    print('%s: Celery %s, %d vectors, %d files inlined, %d bytes'
          % (out, version, len(manifest['vectors']), inlined, os.path.getsize(out)))


if __name__ == '__main__':
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    pack(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
