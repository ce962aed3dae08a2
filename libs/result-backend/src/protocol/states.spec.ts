import * as states from './states.js';

describe('states', () => {
  it.each([
    ['READY_STATES', ['FAILURE', 'REVOKED', 'SUCCESS']],
    ['UNREADY_STATES', ['PENDING', 'RECEIVED', 'REJECTED', 'RETRY', 'STARTED']],
    ['EXCEPTION_STATES', ['FAILURE', 'RETRY', 'REVOKED']],
    ['PROPAGATE_STATES', ['FAILURE', 'REVOKED']],
  ] as const)('has %s of celery.states: %j', (name, members) => {
    expect([...states[name]].sort()).toEqual(members);
  });

  it('has ALL_STATES of celery.states, without REJECTED and IGNORED', () => {
    expect(states.ALL_STATES.has('REJECTED')).toBe(false);
    expect(states.ALL_STATES.has('IGNORED')).toBe(false);
    expect(states.ALL_STATES.size).toBe(7);
    expect(Object.keys(states.TaskStates)).toHaveLength(9);
  });

  it('classifies states, custom ones as unready', () => {
    expect(states.isReadyState('SUCCESS')).toBe(true);
    expect(states.isReadyState('RETRY')).toBe(false);
    expect(states.isReadyState('PROGRESS')).toBe(false);
    expect(states.isExceptionState('RETRY')).toBe(true);
    expect(states.isExceptionState('SUCCESS')).toBe(false);
    expect(states.isPropagateState('REVOKED')).toBe(true);
    expect(states.isPropagateState('RETRY')).toBe(false);
  });

  it('ranks by Celery precedence, custom states at slot 2', () => {
    expect(states.statePrecedence('SUCCESS')).toBe(0);
    expect(states.statePrecedence('FAILURE')).toBe(1);
    expect(states.statePrecedence('PROGRESS')).toBe(2);
    expect(states.statePrecedence('REVOKED')).toBe(3);
    expect(states.statePrecedence('PENDING')).toBe(8);
    expect(states.compareStates('PROGRESS', 'STARTED')).toBeGreaterThan(0);
    expect(states.compareStates('PROGRESS', 'SUCCESS')).toBeLessThan(0);
    expect(states.compareStates('SUCCESS', 'FAILURE')).toBeGreaterThan(0);
    expect(states.compareStates('PENDING', 'RETRY')).toBeLessThan(0);
    expect(states.compareStates('A', 'B')).toBe(0);
  });
});
