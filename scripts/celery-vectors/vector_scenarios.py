"""The api-mode scenarios of the golden vectors: values, ids and the backend calls.

Names, ids, values and descriptions are those of the committed fixtures (and of
../shared/celery-vectors*/README.md, "Scenarios"). Each scenario is a list of steps; the capture
takes one snapshot of the store after each step (phase `final` when there is only one).
"""
import datetime
import decimal
import uuid

from celery.app.task import Context
from celery.result import AsyncResult

import vectortasks

NS = uuid.UUID('6f1b1c84-0c6e-4d55-9b38-6a8f3f6d0c01')
TZ2 = datetime.timezone(datetime.timedelta(hours=2))
NAIVE = datetime.datetime(2024, 1, 2, 3, 4, 5, 678901)

VALUES = {
    'int': 42,
    'float': 3.14159,
    'float_forms': [2.0, 0.1, 1e-07, 1.5e+16, 1e+100, -0.0, 123456789.125],
    'float_nan_inf': [float('nan'), float('inf'), float('-inf')],
    'str_unicode': 'h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c\u8a9e \U0001f389 "q" \\ /\n\t\u2028',
    'none': None,
    'bool': True,
    'list': [1, 'two', 3.0, None, True, False, [4, [5]]],
    'nested_dict': {'b': {'x': [1, 2, {'deep': None}], 'y': 'z'}, 'a': 1, 10: 'int key',
                    '': 'empty key', 't': (1, 2)},
    'large_str': '0123456789abcdef' * 6400,
    'datetime': NAIVE,
    'datetime_variants': {
        'naive': NAIVE,
        'naive_no_us': datetime.datetime(2024, 1, 2, 3, 4, 5),
        'utc': NAIVE.replace(tzinfo=datetime.timezone.utc),
        'plus2': datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=TZ2),
        'date': datetime.date(2024, 1, 2),
        'time': datetime.time(3, 4, 5, 600),
    },
    'uuid': uuid.UUID('12345678-1234-5678-1234-567812345678'),
    'decimal': decimal.Decimal('3.14159265358979323846264338327950288'),
    'bytes': b'\x00\x01binary\xff',
}
FAILURES = {
    'value_error': "ValueError('bad')",
    'key_error': "KeyError('k')",
    'multi_args': "RuntimeError('several', 2, 3.5, None, ['x', {'y': 1}], {1, 2})",
    'custom': "CustomError('custom message', 42)",
    'nested': "NestedError('nested message')",
    'no_args': 'ZeroDivisionError()',
}
CHORD_KIND = {'redis': 'chord_partial', 'cache': 'chord_applied'}
NOT_APPLICABLE = ('not applicable: this backend has no incr (implements_incr=False); chords fall '
                  'back to the celery.chord_unlock task polling the header results, so nothing '
                  'chord-specific is stored')


def short_repr(value):
    text = repr(value)
    return text if len(text) <= 100 else '%s... (%d chars)' % (text[:60], len(text))


class Scenario:
    """One scenario: ids, steps [(phase, description, action(backend, app))]."""

    def __init__(self, name, task_ids=(), group_ids=(), steps=(), not_applicable=None,
                 key_ids=()):
        self.name, self.task_ids, self.group_ids = name, list(task_ids), list(group_ids)
        # ids whose keys belong to this scenario's snapshots (a chord's group id has keys
        # even where no group is saved)
        self.key_ids = self.task_ids + self.group_ids + list(key_ids)
        self.steps, self.not_applicable = list(steps), not_applicable


def scenarios(backend_kind, pass_name):
    """The scenarios of one (backend, pass) block, in the fixtures' order."""
    extended = pass_name == 'extended'

    def tid(name):
        return str(uuid.uuid5(NS, f'{pass_name}/api/{name}'))

    def req(task_id, task, args, **more):
        return Context(id=task_id, task=task, args=args, kwargs={}, hostname='w1@vectors',
                       retries=0, delivery_info={'routing_key': 'celery'}, **more)

    def opt(task_id, task, args):
        return req(task_id, task, args) if extended else None

    out = []
    for short, value in VALUES.items():
        i = tid(f'success_{short}')
        out.append(Scenario(f'success_{short}', [i], steps=[(
            'final', f"SUCCESS with result '{short}' (value: {short_repr(value)})",
            lambda b, app, i=i, s=short, v=value: b.store_result(
                i, v, 'SUCCESS', request=opt(i, 'vectortasks.value', [s])))]))
    for kind, text in FAILURES.items():
        i = tid(f'failure_{kind}')

        def fail(b, app, i=i, kind=kind):
            exc, tb = vectortasks.capture_failure(kind)
            b.mark_as_failure(i, exc, traceback=tb, request=opt(i, 'vectortasks.fail', [kind]))
        out.append(Scenario(f'failure_{kind}', [i], steps=[
            ('final', f'FAILURE with {text} and its traceback text', fail)]))

    def retry(b, app, i=tid('retry')):
        exc, tb = vectortasks.capture_failure('retry')
        b.mark_as_retry(i, exc, traceback=tb, request=opt(i, 'vectortasks.retry_once', []))
    out.append(Scenario('retry', [tid('retry')], steps=[
        ('final', 'RETRY state: mark_as_retry with the exception that caused the retry', retry)]))
    i = tid('revoked')
    out.append(Scenario('revoked', [i], steps=[(
        'final', "REVOKED: mark_as_revoked(reason='revoked') stores TaskRevokedError",
        lambda b, app, i=i: b.mark_as_revoked(i, reason='revoked',
                                              request=opt(i, 'vectortasks.add', [1, 2])))]))
    started = {'pid': 4242, 'hostname': 'w1@vectors'}
    i = tid('started')
    out.append(Scenario('started', [i], steps=[(
        'final', 'STARTED: mark_as_started(pid=4242, hostname=...) (store_result without request,'
        ' as mark_as_started passes none)',
        lambda b, app, i=i: b.mark_as_started(i, **started))]))
    if extended:
        i = tid('started_with_request')
        out.append(Scenario('started_with_request', [i], steps=[(
            'final', 'STARTED stored the way the worker does it (store_result with the request,'
            ' so extended fields are present)',
            lambda b, app, i=i: b.store_result(i, started, 'STARTED',
                                               request=req(i, 'vectortasks.started', [])))]))
    i = tid('progress')
    out.append(Scenario('progress', [i], steps=[(
        'final', "custom state PROGRESS with meta {'current': 3, 'total': 10}",
        lambda b, app, i=i: b.store_result(i, {'current': 3, 'total': 10}, 'PROGRESS',
                                           request=opt(i, 'vectortasks.progress', [])))]))
    out.append(group_scenario(tid, req))
    out.append(chord_scenario(backend_kind, tid, req))
    i = tid('forget')
    out.append(Scenario('forget', [i], steps=[
        ('stored', 'SUCCESS stored, before forget()',
         lambda b, app, i=i: b.store_result(i, 'to be forgotten', 'SUCCESS',
                                            request=opt(i, 'vectortasks.value', ['x']))),
        ('forgotten', 'after AsyncResult.forget(): the key is deleted',
         lambda b, app, i=i: AsyncResult(i, app=app).forget())]))
    i = tid('write_after_success')

    def write_after_success(b, app, i=i):
        b.store_result(i, 1, 'SUCCESS', request=opt(i, 'vectortasks.add', [0, 1]))
        b.mark_as_failure(i, ValueError('too late'), request=opt(i, 'vectortasks.add', [0, 1]))
    out.append(Scenario('write_after_success', [i], steps=[(
        'final', 'SUCCESS then mark_as_failure: Celery reads the stored meta first and ignores any'
        ' update once SUCCESS is stored', write_after_success)]))
    return out


def _members(tid, name):
    return [tid(f'{name}_member_{n}') for n in range(3)]


def group_scenario(tid, req):
    gid, members = tid('group'), _members(tid, 'group')

    def run(b, app):
        for n, m in enumerate(members):
            b.store_result(m, n + n, 'SUCCESS',
                           request=req(m, 'vectortasks.add', [n, n], group=gid, group_index=n))
        app.GroupResult(gid, [AsyncResult(m, app=app) for m in members]).save(backend=b)
    return Scenario('group', members, [gid], steps=[(
        'final', 'save_group of a GroupResult with 3 members (members stored as SUCCESS with a'
        ' worker-like request carrying group id and index)', run)])


def chord_scenario(backend_kind, tid, req):
    kind = CHORD_KIND.get(backend_kind)
    if kind is None:
        return Scenario('chord_counter', not_applicable=NOT_APPLICABLE)
    gid, members = tid('chord'), _members(tid, 'chord')

    def part(b, app, n):
        body = app.signature('vectortasks.tsum')
        b.mark_as_done(members[n], n + n, request=req(
            members[n], 'vectortasks.add', [n, n], group=gid, group_index=n, chord=body))

    def two_parts(b, app):
        part(b, app, 0)
        part(b, app, 1)
    if kind == 'chord_partial':
        return Scenario(kind, members, key_ids=[gid], steps=[(
            'final', 'redis chord bookkeeping after 2 of 3 header tasks: set_chord_size(gid, 3)'
            ' wrote <group key>.s; each finished part ZADDs [1, task_id, state, result] to'
            ' <group key>.j with the group index as score',
            lambda b, app: (b.set_chord_size(gid, 3), two_parts(b, app)))])
    return Scenario(kind, members, [gid], steps=[
        ('applied', 'cache backend apply_chord: chord-unlock-<gid> set to 0 and the GroupResult'
         ' saved', lambda b, app: b.apply_chord(
             (gid, [AsyncResult(m, app=app) for m in members]), app.signature('vectortasks.tsum'))),
        ('two_parts_done', 'after 2 of 3 header tasks: the chord-unlock counter was incremented'
         ' twice (memcached incr)', two_parts)])
