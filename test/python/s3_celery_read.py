"""Celery reads task results from S3. stdin: JSON list of task ids. Prints one JSON line per
id: state, repr of the result, and for exceptions the class name and repr of the args."""
import hashlib
import json
import sys

from s3_celery_app import make_app

app = make_app()
for task_id in json.load(sys.stdin):
    r = app.AsyncResult(task_id)
    result = r.result
    text = repr(result)
    if len(text) > 4096:  # the vectors' form of long strings
        text = {'__large_str__': {'length': len(text), 'sha256': hashlib.sha256(text.encode()).hexdigest()}}
    out = {'id': task_id, 'state': r.state, 'ready': r.ready(), 'result_repr': text}
    if isinstance(result, BaseException):
        out['exc_type'] = type(result).__name__
        out['exc_args'] = repr(result.args)
    print(json.dumps(out))
