"""Celery app on the S3 result backend, configured from the environment (S3_ENDPOINT,
S3_BUCKET, S3_BASE_PATH, S3_REGION). Shared by the S3 interop scripts and the bench."""
import os

from celery import Celery


class CustomError(Exception):
    """A user exception with several args, as in the vectors' failure_custom."""


def make_app():
    app = Celery('s3_interop', set_as_current=True)
    conf = dict(
        result_backend='s3',
        s3_endpoint_url=os.environ['S3_ENDPOINT'],
        s3_bucket=os.environ.get('S3_BUCKET', 'celery-results'),
        s3_access_key_id='S3RVER',
        s3_secret_access_key='S3RVER',
        s3_region=os.environ.get('S3_REGION', 'us-east-1'),
        result_serializer='json',
        accept_content=['json'],
        result_extended=os.environ.get('RESULT_EXTENDED') == '1',
    )
    if os.environ.get('S3_BASE_PATH'):
        conf['s3_base_path'] = os.environ['S3_BASE_PATH']
    app.conf.update(conf)
    return app
