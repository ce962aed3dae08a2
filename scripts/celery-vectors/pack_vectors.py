#!/usr/bin/env python3
"""Pack a captured Celery vector folder into the one file the tests read.

The folder has the layout capture_vectors.py writes (and ../shared/celery-vectors*/ have):
manifest.json plus the stored bytes under <backend>/<pass>-<mode>/... . Bytes the manifest keeps
only in files (``raw_in_file_only``, over 16 KiB) are inlined as ``raw_text`` (or ``raw_base64``)
after their SHA-256 is checked, and the Redis MONITOR logs go under ``monitor_logs``, so the tests need nothing but the packed file. Python's json
module is used on purpose: it keeps big integers and float reprs of the manifest exact.

    python3 scripts/celery-vectors/pack_vectors.py <vector folder> [<out file>] [--base <packed file>]

Default output: test/fixtures/celery-vectors/celery-<celery version>.json.gz

With --base (an existing packed fixture of the same Celery version), the blocks
(<backend>/<pass>-<mode>) the folder does not hold are carried over from it, in its order, with
their MONITOR logs (a block the base lacks goes after the last block of its backend and pass): a
capture of some backends (--backends), passes or modes (--modes) keeps the rest of the committed
fixture.
"""
import gzip
import hashlib
import json
import os
import sys


def block(vector):
    return '%s/%s-%s' % (vector['backend'], vector['pass'], vector['mode'])


def merge(manifest, base_file):
    """Captured blocks replace the base's; the base's other blocks stay, in the base's order."""
    with gzip.open(base_file) as f:
        base = json.load(f)
    if base['versions']['celery'] != manifest['versions']['celery']:
        raise SystemExit('--base is Celery %s, the capture %s'
                         % (base['versions']['celery'], manifest['versions']['celery']))
    captured = {}
    for v in manifest['vectors']:
        captured.setdefault(block(v), []).append(v)
    vectors, done = [], set()
    for v in base['vectors']:
        b = block(v)
        if b not in captured:
            vectors.append(v)
        elif b not in done:
            vectors += captured[b]
            done.add(b)
    # a block the base lacks goes after the last one of its backend and pass (else backend)
    for b, new in captured.items():
        if b in done:
            continue
        at = next((i + 1 for i in range(len(vectors) - 1, -1, -1)
                   if (vectors[i]['backend'], vectors[i]['pass']) == (new[0]['backend'],
                                                                       new[0]['pass'])),
                  next((i + 1 for i in range(len(vectors) - 1, -1, -1)
                        if vectors[i]['backend'] == new[0]['backend']), len(vectors)))
        vectors[at:at] = new
    logs = dict(base.get('monitor_logs') or {})
    manifest['vectors'] = vectors
    for key, value in base.items():  # e.g. the committed captures' self_check
        manifest.setdefault(key, value)
    if base.get('generator') != manifest.get('generator'):
        manifest['generator'] = '%s; blocks %s: %s' % (base.get('generator'), ', '.join(captured),
                                                       manifest.get('generator'))
    return logs


def pack(folder, out=None, base=None):
    with open(os.path.join(folder, 'manifest.json'), encoding='utf-8') as f:
        manifest = json.load(f)
    inlined = 0
    own = {block(v) for v in manifest['vectors']}
    carried = merge(manifest, base) if base else {}
    for vector in manifest['vectors']:
        if block(vector) not in own:
            continue
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
    manifest['monitor_logs'] = {k: v for k, v in carried.items()
                                if k.rsplit('/', 1)[0] not in own}
    for log in manifest.get('redis_monitor_logs') or []:
        with open(os.path.join(folder, log), encoding='utf-8') as f:
            manifest['monitor_logs'][log] = f.read()
    manifest['redis_monitor_logs'] = sorted(manifest['monitor_logs'])
    version = manifest['versions']['celery']
    out = out or os.path.join('test', 'fixtures', 'celery-vectors', 'celery-%s.json.gz' % version)
    body = json.dumps(manifest, sort_keys=False).encode('utf-8')
    # mtime=0: the same vectors give the same bytes (no spurious git changes).
    with open(out, 'wb') as f:
        f.write(gzip.compress(body, compresslevel=9, mtime=0))
    print('%s: Celery %s, %d vectors, %d files inlined, %d bytes'
          % (out, version, len(manifest['vectors']), inlined, os.path.getsize(out)))


if __name__ == '__main__':
    args = sys.argv[1:]
    base_file = None
    if '--base' in args:
        i = args.index('--base')
        base_file = args[i + 1]
        del args[i:i + 2]
    if not args:
        raise SystemExit(__doc__)
    pack(args[0], args[1] if len(args) > 1 else None, base_file)
