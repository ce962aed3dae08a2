import {
  ALL_STATES,
  compareStates,
  EXCEPTION_STATES,
  isExceptionState,
  isPropagateState,
  isReadyState,
  PROPAGATE_STATES,
  READY_STATES,
  statePrecedence,
  TaskStates,
  UNREADY_STATES,
} from './states.js';

describe('states', () => {
  it('has the sets of celery.states', () => {
    expect([...READY_STATES].sort()).toEqual(['FAILURE', 'REVOKED', 'SUCCESS']);
    expect([...UNREADY_STATES].sort()).toEqual([
      'PENDING',
      'RECEIVED',
      'REJECTED',
      'RETRY',
      'STARTED',
    ]);
    expect([...EXCEPTION_STATES].sort()).toEqual([
      'FAILURE',
      'RETRY',
      'REVOKED',
    ]);
    expect([...PROPAGATE_STATES].sort()).toEqual(['FAILURE', 'REVOKED']);
    expect(ALL_STATES.has('REJECTED')).toBe(false);
    expect(ALL_STATES.has('IGNORED')).toBe(false);
    expect(ALL_STATES.size).toBe(7);
    expect(Object.keys(TaskStates)).toHaveLength(9);
  });

  it('classifies states, custom ones as unready', () => {
    expect(isReadyState('SUCCESS')).toBe(true);
    expect(isReadyState('RETRY')).toBe(false);
    expect(isReadyState('PROGRESS')).toBe(false);
    expect(isExceptionState('RETRY')).toBe(true);
    expect(isExceptionState('SUCCESS')).toBe(false);
    expect(isPropagateState('REVOKED')).toBe(true);
    expect(isPropagateState('RETRY')).toBe(false);
  });

  it('ranks by Celery precedence, custom states at slot 2', () => {
    expect(statePrecedence('SUCCESS')).toBe(0);
    expect(statePrecedence('FAILURE')).toBe(1);
    expect(statePrecedence('PROGRESS')).toBe(2);
    expect(statePrecedence('REVOKED')).toBe(3);
    expect(statePrecedence('PENDING')).toBe(8);
    expect(compareStates('PROGRESS', 'STARTED')).toBeGreaterThan(0);
    expect(compareStates('PROGRESS', 'SUCCESS')).toBeLessThan(0);
    expect(compareStates('SUCCESS', 'FAILURE')).toBeGreaterThan(0);
    expect(compareStates('PENDING', 'RETRY')).toBeLessThan(0);
    expect(compareStates('A', 'B')).toBe(0);
  });
});
