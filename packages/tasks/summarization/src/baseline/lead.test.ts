import { describe, expect, it } from 'vitest';
import { lead, leadBaseline } from './lead.js';

describe('lead baselines', () => {
  const body = 'One. Two is "here."\n\nThree! Four.';

  it('lead-k takes the first k sentences across paragraphs', () => {
    expect(lead(body, 1)).toBe('One.');
    expect(lead(body, 3)).toBe('One. Two is "here." Three!');
    expect(lead(body, 9)).toBe('One. Two is "here." Three! Four.');
  });

  it('uses lead-1 for headlines and lead-3 for summaries', () => {
    const examples = [{ input: body, references: ['x'] }];
    expect(leadBaseline(examples, 'headline')).toEqual(['One.']);
    expect(leadBaseline(examples, 'summary')).toEqual(['One. Two is "here." Three!']);
  });
});
