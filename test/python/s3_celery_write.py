"""Celery writes results to S3 (store_result, mark_as_failure with a custom exception,
mark_as_revoked, a PROGRESS state), then prints {key, object_key, raw} JSON lines with the
exact stored bytes as boto3 reads them. Usage: s3_celery_write.py <id-prefix>"""
import base64
import json
import sys

import boto3

from s3_celery_app import CustomError, make_app

app = make_app()
backend = app.backend
prefix = sys.argv[1]
ids = {name: f'{prefix}-{name}' for name in ('success', 'failure', 'revoked', 'progress', 'unicode')}

backend.store_result(ids['success'], {'answer': 42, 'list': [1, 2.5, None]}, 'SUCCESS')
try:
    raise CustomError('custom message', 42)
except CustomError as exc:
    backend.mark_as_failure(ids['failure'], exc, traceback='Traceback (most recent call last):\n  fake\n')
backend.mark_as_revoked(ids['revoked'], reason='revoked')
backend.store_result(ids['progress'], {'current': 3, 'total': 10}, 'PROGRESS')
backend.store_result(ids['unicode'], 'caf\u00e9 \U0001f389 \u2028', 'SUCCESS')

s3 = boto3.Session(aws_access_key_id='S3RVER', aws_secret_access_key='S3RVER',
                   region_name='us-east-1').client('s3', endpoint_url=app.conf.s3_endpoint_url)
for name, task_id in ids.items():
    key = backend.get_key_for_task(task_id).decode()
    object_key = (app.conf.s3_base_path or '') + key
    raw = s3.get_object(Bucket=app.conf.s3_bucket, Key=object_key)['Body'].read()
    print(json.dumps({'name': name, 'id': task_id, 'key': key, 'object_key': object_key,
                      'raw_base64': base64.b64encode(raw).decode()}))
