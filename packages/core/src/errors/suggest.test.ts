import { describe, expect, it } from 'vitest';
import { closestName, didYouMean } from './suggest.js';

describe('closestName', () => {
  const tasks = ['translation', 'summarization', 'summarization-headline', 'speech'];

  it('finds a name one edit away: a dropped letter, an extra one, a swap, a wrong one', () => {
    expect(closestName('translaton', tasks)).toBe('translation'); // deletion
    expect(closestName('speeech', tasks)).toBe('speech'); // insertion
    expect(closestName('sepech', tasks)).toBe('speech'); // adjacent swap counts as one
    expect(closestName('spaech', tasks)).toBe('speech'); // substitution
    expect(closestName('Speech', tasks)).toBe('speech'); // case ignored
  });

  it('prefers the nearest name and stays quiet when nothing is close', () => {
    expect(closestName('summarization-headlin', tasks)).toBe('summarization-headline');
    expect(closestName('epochz', ['epochs', 'batchSize', 'patience'])).toBe('epochs');
    // 'xyz' is 3 edits from everything of length 3 and more: above a third of its length.
    expect(closestName('xyz', tasks)).toBeUndefined();
    expect(closestName('ab', ['cd'])).toBeUndefined(); // two edits, limit one
  });

  it('words the hint, and gives none for an exact name', () => {
    expect(didYouMean('translaton', tasks)).toBe(" (did you mean 'translation'?)");
    expect(didYouMean('translation', tasks)).toBe('');
    expect(didYouMean('zzz', tasks)).toBe('');
  });
});
