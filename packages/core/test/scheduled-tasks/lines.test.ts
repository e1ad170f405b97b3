import { describe, expect, test } from '@jest/globals';
import { parseScheduledTasks, referenceLabel } from '../../src/scheduled-tasks/lines';
import { familyOfTaskDefinition, pinsRevision } from '../../src/scheduled-tasks/targets';

const lines = (...texts: string[]) => texts.map((text, index) => ({ text, line: index + 1 }));

describe('scheduled-tasks lines', () => {
  test('a rule without a bus is on the default bus', () => {
    expect(parseScheduledTasks(lines('rule:nightly'))).toEqual([{ kind: 'rule', name: 'nightly', line: 'rule:nightly' }]);
  });

  test('a rule names its bus by name or by event-bus ARN, the name after the last slash', () => {
    const arn = 'arn:aws:events:us-east-1:123456789012:event-bus/orders';
    const [byName, byArn] = parseScheduledTasks(lines('rule:orders/on-order', `rule:${arn}/on-paid`));
    expect(byName).toMatchObject({ bus: 'orders', name: 'on-order' });
    expect(byArn).toMatchObject({ bus: arn, name: 'on-paid' });
    expect(referenceLabel(byArn)).toBe('rule on-paid on bus orders');
  });

  test('a schedule without a group is in the default group, and default/ names the same schedule', () => {
    expect(() => parseScheduledTasks(lines('schedule:export', 'schedule:default/export'))).toThrow(/on lines 1 and 2/);
  });

  test('a bus that is neither a name nor an event-bus ARN is refused, naming the line', () => {
    expect(() => parseScheduledTasks(lines('rule:arn:aws:sqs:us-east-1:123456789012:queue/nightly'))).toThrow(
      /line 1 \("rule:arn:aws:sqs:.*"\) has bus ".*", neither an event bus name nor an event-bus ARN/,
    );
  });

  test('a family is read from an ARN or family:revision, and only a number after it pins a revision', () => {
    expect(familyOfTaskDefinition('arn:aws:ecs:us-east-1:123456789012:task-definition/web-worker:12')).toBe('web-worker');
    expect(pinsRevision('arn:aws:ecs:us-east-1:123456789012:task-definition/web-worker:12')).toBe(true);
    expect(pinsRevision('arn:aws:ecs:us-east-1:123456789012:task-definition/web-worker')).toBe(false);
  });
});
