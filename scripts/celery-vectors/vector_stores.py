"""One class per backend: the Celery app settings and the snapshot of what is stored.

A snapshot lists every physical item whose name holds one of the scenario's ids, as the
manifest's `stored` items (fields in ../shared/celery-vectors/README.md), and writes its bytes
under <out>/<rel>/.
"""
import base64
import hashlib
import json
import os
import socket
import urllib.parse

from vector_servers import BUCKET

INLINE_MAX = 16 * 1024


def item(out, rel, key, data, file_suffix='', **extra):
    """A `stored` item; the bytes go to <out>/<rel>/<key><suffix>."""
    path = os.path.join(out, rel, key + file_suffix)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)
    out_item = {'key': key, 'file': f'{rel}/{key}{file_suffix}', **raw_fields(data)}
    out_item.update(extra)
    return out_item


def raw_fields(data):
    fields = {'raw_length': len(data), 'raw_sha256': hashlib.sha256(data).hexdigest()}
    try:
        text = data.decode('utf-8')
        encoding = 'utf-8'
    except UnicodeDecodeError:
        text, encoding = None, 'base64'
    if len(data) > INLINE_MAX:
        fields['raw_in_file_only'] = True
    elif text is not None:
        fields['raw_text'] = text
    else:
        fields['raw_base64'] = base64.b64encode(data).decode('ascii')
    fields['raw_encoding'] = encoding
    return fields


def candidate_keys(key_ids):
    """The names Celery gives the keys of these ids (memcached and CouchDB cannot list keys)."""
    keys = []
    for i in key_ids:
        keys += [f'celery-task-meta-{i}', f'celery-taskset-meta-{i}', f'chord-unlock-{i}']
    return keys


class FilesystemStore:
    kind = 'filesystem'
    backend_url = 'file:///PATH/TO/DIR'

    def __init__(self, servers):
        self.dir = servers.tmpdir('vectors-fs-')

    def settings(self):
        return {'result_backend': f'file://{self.dir}'}

    def snapshot(self, out, rel, key_ids):
        items = []
        for name in sorted(os.listdir(self.dir)):
            if any(i in name for i in key_ids):
                with open(os.path.join(self.dir, name), 'rb') as f:
                    items.append(item(out, rel, name, f.read(), ttl=None))
        return items


class S3Store:
    kind = 's3'
    backend_url = ('s3 (settings: s3_bucket, s3_endpoint_url, s3_access_key_id, '
                   's3_secret_access_key, s3_region; no s3_base_path)')

    def __init__(self, servers):
        import boto3
        self.endpoint = f'http://127.0.0.1:{servers.port("s3")}'
        self.client = boto3.client('s3', endpoint_url=self.endpoint, aws_access_key_id='S3RVER',
                                   aws_secret_access_key='S3RVER', region_name='us-east-1')

    def settings(self):
        return {'result_backend': 's3', 's3_endpoint_url': self.endpoint, 's3_bucket': BUCKET,
                's3_access_key_id': 'S3RVER', 's3_secret_access_key': 'S3RVER',
                's3_region': 'us-east-1'}

    def snapshot(self, out, rel, key_ids):
        listing = self.client.list_objects_v2(Bucket=BUCKET).get('Contents', [])
        items = []
        for key in sorted(o['Key'] for o in listing):
            if any(i in key for i in key_ids):
                obj = self.client.get_object(Bucket=BUCKET, Key=key)
                items.append(item(out, rel, key, obj['Body'].read(), ttl=None,
                                  s3_content_type=obj.get('ContentType'),
                                  s3_metadata=obj.get('Metadata', {}), s3_etag=obj.get('ETag')))
        return items


class CacheStore:
    kind = 'cache'
    backend_url = 'cache+memcached://HOST:PORT/'

    def __init__(self, servers):
        self.port = servers.port('memcached')

    def settings(self):
        return {'result_backend': f'cache+memcached://127.0.0.1:{self.port}/'}

    def _meta_get(self, key):
        """`mg <key> v f t`: (bytes, flags, ttl) or None."""
        with socket.create_connection(('127.0.0.1', self.port), timeout=5) as s:
            s.sendall(f'mg {key} v f t\r\n'.encode())
            buf = b''
            while b'\r\n' not in buf:
                buf += s.recv(65536)
            head, rest = buf.split(b'\r\n', 1)
            parts = head.split()
            if parts[0] != b'VA':
                return None
            size = int(parts[1])
            while len(rest) < size + 2:
                rest += s.recv(65536)
            flags = {p[:1]: p[1:] for p in parts[2:]}
            ttl = int(flags[b't'])
            return rest[:size], int(flags[b'f']), None if ttl < 0 else ttl

    def snapshot(self, out, rel, key_ids):
        items = []
        for key in sorted(candidate_keys(key_ids)):
            got = self._meta_get(key)
            if got:
                items.append(item(out, rel, key, got[0], memcached_flags=got[1], ttl=got[2]))
        return items


class CouchStore:
    kind = 'couchdb'
    backend_url = 'couchdb://HOST:PORT/ (no path: database "default")'

    def __init__(self, servers):
        import requests
        self.port = servers.port('couchdb')
        self.session = requests.Session()

    def settings(self):
        return {'result_backend': f'couchdb://127.0.0.1:{self.port}/'}

    def snapshot(self, out, rel, key_ids):
        items = []
        for key in sorted(candidate_keys(key_ids)):
            resp = self.session.get(f'http://127.0.0.1:{self.port}/default/'
                                    + urllib.parse.quote(key, safe=''))
            if resp.status_code != 200:
                continue
            doc = resp.json()
            payload = doc['value'].encode('utf-8')
            fields = raw_fields(payload)
            items.append(item(out, rel, key, resp.content, '.json',
                              payload_text=fields.get('raw_text'),
                              payload_sha256=fields['raw_sha256'], payload_length=len(payload),
                              ttl=None, http_status=resp.status_code, couch_rev=doc['_rev']))
        return items


def zset_file(members):
    return json.dumps([[m.decode('utf-8'), s] for m, s in members], indent=1).encode('utf-8')
