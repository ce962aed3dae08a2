"""The worker-mode scenarios of the golden vectors: a real worker runs the tasks of vectortasks.

Names, ids (uuid5 of "<pass>/worker/<name>"), descriptions and phases are those of the committed
fixtures (../shared/celery-vectors*/README.md, "Scenarios"). Each step's action gets a
vector_worker.WorkerContext; the capture snapshots the store after each step.
"""
import uuid

from celery import chain, chord, group
from celery.result import AsyncResult

from vector_scenarios import FAILURES, NS, VALUES, Scenario, short_repr


def worker_scenarios(pass_name):
    """The scenarios of one (backend, pass) worker block, in the fixtures' order."""
    def tid(name):
        return str(uuid.uuid5(NS, f'{pass_name}/worker/{name}'))

    out = []
    for short, value in VALUES.items():
        i = tid(f'success_{short}')
        out.append(Scenario(f'success_{short}', [i], steps=[(
            'final', f"worker task returned '{short}' (value: {short_repr(value)})",
            lambda ctx, i=i, s=short: ctx.run('vectortasks.value', [s], i))]))
    for kind, text in FAILURES.items():
        i = tid(f'failure_{kind}')
        out.append(Scenario(f'failure_{kind}', [i], steps=[(
            'final', f'worker task raised {text}',
            lambda ctx, i=i, k=kind: ctx.run('vectortasks.fail', [k], i))]))
    out += [held('retry', tid('retry'), 'vectortasks.retry_once', 'RETRY stored by the worker'
                 ' (self.retry(exc=ValueError(...)))', 'the retried run succeeded')]
    out.append(revoked(tid('revoked')))
    out += [held('started', tid('started'), 'vectortasks.started', 'STARTED written by the worker'
                 ' (track_started=True): meta {pid, hostname}', 'then SUCCESS'),
            held('progress', tid('progress'), 'vectortasks.progress',
                 "self.update_state(state='PROGRESS', meta={'current': 3, 'total': 10})",
                 'then SUCCESS')]
    out += [group_scenario(tid), chord_scenario(tid), chain_scenario(tid),
            children_scenario(tid), forget_scenario(tid)]
    return out


def held(name, i, task, held_description, final_description):
    """A task stored an intermediate state and is held (vectortasks.hold) for the first snapshot."""
    def send(ctx):
        ctx.send(task, [], i)
        ctx.entered(i)

    def finish(ctx):
        ctx.release(i)
        ctx.wait([i])
        ctx.barrier()
    return Scenario(name, [i], steps=[(name, held_description, send),
                                      ('final', final_description, finish)])


def revoked(i):
    def run(ctx):
        ctx.client.control.revoke(i, destination=['w1@vectors'], reply=True, timeout=10)
        if AsyncResult(i, app=ctx.reader).state == 'REVOKED':
            # Celery >= 5.6 stores REVOKED in the revoke command itself (no request: children
            # null, no extended fields): snapshot that, send the task after the snapshot
            ctx.later(lambda: ctx.run('vectortasks.add', [1, 2], i))
        else:
            ctx.run('vectortasks.add', [1, 2], i)
    return Scenario('revoked', [i], steps=[
        ('final', 'task revoked (control.revoke) before the worker got it', run)])


def _check(name, got, want):
    if got != want:
        raise SystemExit(f'{name}: Celery used id {got}, not {want}')


def group_scenario(tid):
    gid, members = tid('group'), [tid(f'group_member_{n}') for n in range(3)]

    def run(ctx):
        res = group([ctx.sig('vectortasks.add', [n, n], m) for n, m in enumerate(members)],
                    app=ctx.client).apply_async(task_id=gid)
        _check('group', res.id, gid)
        res.save()
        ctx.wait(members)
        ctx.barrier()
    return Scenario('group', members, [gid], steps=[(
        'final', 'group(add(i, i) for i in 0..2).apply_async() then GroupResult.save()', run)])


def chord_scenario(tid):
    gid, body = tid('chord'), tid('chord_body')
    members = [tid(f'chord_member_{n}') for n in range(3)]

    def start(ctx):
        header = group([ctx.sig('vectortasks.add', [1, 1], members[0]),
                        ctx.sig('vectortasks.add', [2, 2], members[1]),
                        ctx.sig('vectortasks.gated_add', [3, 3], members[2])],
                       app=ctx.client, task_id=gid)
        c = chord(header, ctx.sig('vectortasks.tsum', [], body), app=ctx.client)
        # chord() keeps only the header's tasks; as a group with its task_id, the header gives
        # the group id (apply_async clones a group header, else makes a group with a new id)
        c.kwargs['header'] = header
        res = c.apply_async(task_id=body)
        _check('chord body', res.id, body)
        _check('chord group', res.parent.id if res.parent else None, gid)
        ctx.wait(members[:2])
        ctx.entered(members[2])

    def finish(ctx):
        ctx.release(members[2])
        ctx.wait([body])
        ctx.barrier()
    return Scenario('chord', members + [body], [gid], steps=[
        ('partial', 'chord([add(1,1), add(2,2), gated_add(3,3)], tsum()): two header tasks done,'
         ' third one held', start),
        ('final', 'chord finished: body result stored, chord bookkeeping removed', finish)])


def chain_scenario(tid):
    first, second = tid('chain_first'), tid('chain_second')

    def run(ctx):
        res = chain(ctx.sig('vectortasks.add', [1, 2], first),
                    ctx.sig('vectortasks.add', [10], second), app=ctx.client).apply_async()
        _check('chain', [res.parent.id if res.parent else None, res.id], [first, second])
        ctx.wait([first, second])
        ctx.barrier()
    return Scenario('chain', [first, second], steps=[(
        'final', 'chain(add(1, 2), add(10)): the first result lists the second as a child, the'
        ' second records parent_id', run)])


def children_scenario(tid):
    parent, child = tid('spawn_parent'), tid('spawn_child')

    def run(ctx):
        ctx.send('vectortasks.spawn_child', [child], parent)
        ctx.wait([parent, child])
        ctx.barrier()
    return Scenario('children', [parent, child], steps=[(
        'final', 'a task that calls add.apply_async() has it in children', run)])


def forget_scenario(tid):
    i = tid('forget')
    return Scenario('forget', [i], steps=[
        ('stored', 'SUCCESS stored by the worker, before forget()',
         lambda ctx: ctx.run('vectortasks.add', [20, 22], i)),
        ('forgotten', 'after AsyncResult.forget()',
         lambda ctx: AsyncResult(i, app=ctx.client).forget())])
