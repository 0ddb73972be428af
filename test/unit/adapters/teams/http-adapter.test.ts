/** The activity shape checked before the Teams SDK sees a body (its handlers read these fields unchecked). */
import { describe, expect, it } from 'vitest';
import { activityProblem } from '../../../../src/adapters/teams/http-adapter.ts';

const ok = { type: 'message', from: { id: '29:1x' }, conversation: { id: 'a:1' }, serviceUrl: 'https://smba.trafficmanager.net/amer/', recipient: { id: '28:bot' } };

describe('activityProblem', () => {
  it('accepts what every activity carries', () => {
    expect(activityProblem(ok)).toBeUndefined();
    expect(activityProblem({ type: 'conversationUpdate', from: { id: 'x' }, conversation: { id: 'y' } })).toBeUndefined();
  });

  it('names the first field that is missing or of the wrong kind', () => {
    expect(activityProblem({ ...ok, type: '' })).toBe('type: expected a string');
    expect(activityProblem({ ...ok, from: null })).toBe('from.id: expected a string');
    expect(activityProblem({ ...ok, from: { id: 7 } })).toBe('from.id: expected a string');
    const { conversation: _c, ...noConversation } = ok;
    expect(activityProblem(noConversation)).toBe('conversation.id: expected a string'); // a 500 from the SDK before
    expect(activityProblem({ ...ok, conversation: ['a'] })).toBe('conversation.id: expected a string');
    expect(activityProblem({ ...ok, serviceUrl: 42 })).toBe('serviceUrl: expected a string');
    expect(activityProblem({ ...ok, recipient: 'bot' })).toBe('recipient: expected an object');
  });
});
