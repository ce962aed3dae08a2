"""Exceptions and helpers of the golden-vector capture (capture_vectors.py).

The module is named ``vectortasks`` on purpose: the committed fixtures were captured with a
module of that name, so Celery stores ``"exc_module": "vectortasks"`` for the custom
exceptions, and it resolves them back to these classes when this module is importable.

The tracebacks stored by the api-mode scenarios are the real ones of ``capture_failure`` and
``_raise`` below. Their line numbers are part of the stored bytes (94 and 102, as in the
committed fixtures), which is why this docstring is long and why the two functions must stay
on those lines: ``capture_vectors.py`` checks them before it captures anything.

Exceptions (``make_exception(kind)``):

* ``value_error``  -> ``ValueError('bad')``
* ``key_error``    -> ``KeyError('k')``
* ``multi_args``   -> ``RuntimeError('several', 2, 3.5, None, ['x', {'y': 1}], {1, 2})``
  (the set is not JSON: Celery stores its repr ``"{1, 2}"``)
* ``custom``       -> ``CustomError('custom message', 42)``
* ``nested``       -> ``Outer.NestedError('nested message')``
* ``no_args``      -> ``ZeroDivisionError()``
* ``retry``        -> ``ValueError('try again')`` (the exception a retry carries)

The worker-mode scenarios run the tasks below in a real ``celery -A vectortasks worker``
(vector_worker.py). Their tracebacks hold ``vectortasks.fail`` at line 161 and
``vectortasks.retry_once`` at line 182, as in the committed fixtures: ``check_lines()`` checks
all four lines before a capture starts.
"""
# Padding: the two functions below must start where the fixtures' tracebacks say.
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#
#


class CustomError(Exception):
    """A user exception with several args (stored with exc_module 'vectortasks')."""


class Outer:
    """Holds a nested exception class (stored as exc_type 'Outer.NestedError')."""

    class NestedError(Exception):
        """A nested user exception."""


def make_exception(kind):
    """The exception of one failure scenario (see the module docstring)."""
    return {
        'value_error': lambda: ValueError('bad'),
        'key_error': lambda: KeyError('k'),
        'multi_args': lambda: RuntimeError('several', 2, 3.5, None, ['x', {'y': 1}], {1, 2}),
        'custom': lambda: CustomError('custom message', 42),
        'nested': lambda: Outer.NestedError('nested message'),
        'no_args': lambda: ZeroDivisionError(),
        'retry': lambda: ValueError('try again'),
    }[kind]()


def _raise(kind):
    raise make_exception(kind)


def capture_failure(kind):
    """(exception, traceback text) of one failure kind, file names relative as in the fixtures."""
    import traceback

    try:
        _raise(kind)
    except BaseException as exc:  # noqa: B902 - every kind is raised on purpose
        text = ''.join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return exc, text.replace(__file__, 'vectortasks.py')
    raise AssertionError('unreachable')


# The worker side: `celery -A vectortasks worker` (vector_worker.py starts it with the
# settings in $VECTORS_WORKER_CONFIG and a gate folder in $VECTORS_GATES).
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from celery import Celery  # noqa: E402

app = Celery('vectortasks', set_as_current=False)
GATES = os.environ.get('VECTORS_GATES', '')
LINES = {'_raise': 94, 'capture_failure': 102, 'fail': 161, 'retry_once': 182}


def relative_paths(text):
    """Traceback text with each file name relative to its sys.path entry (as in the fixtures)."""
    roots = sorted({os.path.join(os.path.abspath(p), '') for p in sys.path if p},
                   key=len, reverse=True)

    def rel(m):
        return 'File "%s"' % next((m.group(1)[len(r):] for r in roots
                                   if m.group(1).startswith(r)), m.group(1))
    return re.sub(r'File "([^"]+)"', rel, text)


def hold(task_id):
    """Mark <gates>/<id>.entered, then block until the capture creates <gates>/<id>.open."""
    if not GATES:
        return
    open(os.path.join(GATES, task_id + '.entered'), 'w').close()
    deadline = time.monotonic() + 120
    while not os.path.exists(os.path.join(GATES, task_id + '.open')):
        if time.monotonic() > deadline:
            raise RuntimeError('gate of %s never opened' % task_id)
        time.sleep(0.02)


# The two tasks below raise on the lines the fixtures' tracebacks show (161 and 182):
#
#
#
#
#
#
#
#
#
#
@app.task
def fail(kind):
    """Raise the exception of one failure kind (a FAILURE with this frame in its traceback)."""
    raise make_exception(kind)


@app.task
def value(short):
    """Return one of the scenario values by name."""
    from vector_scenarios import VALUES
    return VALUES[short]


# (padding: retry_once must raise on line 182)
#
#
#
#
@app.task(bind=True)
def retry_once(self):
    """First run: retry in 1 s (a RETRY document); the retried run is held, then succeeds."""
    if self.request.retries:
        hold(self.request.id)
        return 'retried ok'
    raise self.retry(exc=ValueError('try again'), countdown=1)


@app.task(bind=True, track_started=True)
def started(self):
    """STARTED is stored before the run; held until the capture took its snapshot."""
    hold(self.request.id)
    return 'finished'


@app.task(bind=True)
def progress(self):
    """A custom PROGRESS state, held, then SUCCESS."""
    self.update_state(state='PROGRESS', meta={'current': 3, 'total': 10})
    hold(self.request.id)
    return 'finished'


@app.task
def add(x, y):
    """x + y."""
    return x + y


@app.task(bind=True)
def gated_add(self, x, y):
    """x + y once the capture opens the gate (holds a chord's last header part)."""
    hold(self.request.id)
    return x + y


@app.task
def tsum(values):
    """sum(values): a chord body."""
    return sum(values)


@app.task
def spawn_child(child_id):
    """Send add(1, 1) under child_id from inside a task (so it is in this task's children)."""
    add.apply_async((1, 1), task_id=child_id)
    return child_id


@app.task(ignore_result=True)
def barrier(token):
    """Mark <gates>/barrier-<token>: the solo worker finished everything sent before it."""
    open(os.path.join(GATES, 'barrier-' + token), 'w').close()


def check_lines():
    """Fail unless the functions whose lines the stored tracebacks show are on those lines."""
    import inspect
    for name, line in LINES.items():
        fn = globals()[name]
        fn = getattr(fn, 'run', fn)
        src, start = inspect.getsourcelines(fn)
        raising = [start + n for n, text in enumerate(src)
                   if text.strip().startswith('raise ') or text.strip() == '_raise(kind)']
        if line not in raising:
            raise SystemExit('vectortasks.%s: line %d must raise (got %s)' % (name, line, raising))


def _worker_hooks():
    """In the worker: its settings, the CouchDB stand-in, relative traceback paths, a ready file."""
    from celery.backends import base
    from celery.signals import worker_ready

    try:
        import pycouchdb_standin
        pycouchdb_standin.install()
    except ImportError:
        pass
    app.conf.update(json.loads(os.environ['VECTORS_WORKER_CONFIG']))
    for name in ('mark_as_failure', 'mark_as_retry'):
        def wrapped(self, task_id, exc, traceback=None, *args, _orig=getattr(base.Backend, name),
                    **kwargs):
            return _orig(self, task_id, exc, traceback and relative_paths(traceback), *args,
                         **kwargs)
        setattr(base.Backend, name, wrapped)
    worker_ready.connect(lambda **_: open(os.path.join(GATES, 'ready'), 'w').close(), weak=False)


if os.environ.get('VECTORS_WORKER_CONFIG'):
    _worker_hooks()
