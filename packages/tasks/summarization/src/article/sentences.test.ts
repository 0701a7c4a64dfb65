import { describe, expect, it } from 'vitest';
import { splitParagraphs, splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it('ends sentences at . ! ? before a capital or digit, keeping closing quotes', () => {
    expect(
      splitSentences('Profits rose 5%. "We are pleased!" he said. Is it over? 2005 was worse.'),
    ).toEqual(['Profits rose 5%.', '"We are pleased!" he said.', 'Is it over?', '2005 was worse.']);
  });

  it('keeps abbreviations, initials and decimal numbers inside a sentence', () => {
    expect(
      splitSentences(
        'Dr. Smith met J. R. Ewing in the U.S. on Monday. It cost $4.5bn. Shares fell.',
      ),
    ).toEqual([
      'Dr. Smith met J. R. Ewing in the U.S. on Monday.',
      'It cost $4.5bn.',
      'Shares fell.',
    ]);
  });

  it('never joins two paragraphs, even without a full stop', () => {
    expect(splitSentences('First paragraph, no stop\n\n  Second one.\n\nThird.')).toEqual([
      'First paragraph, no stop',
      'Second one.',
      'Third.',
    ]);
  });

  it('does not split before a lower-case word', () => {
    expect(splitSentences('The firm said it was "surprised". analysts disagreed.')).toEqual([
      'The firm said it was "surprised". analysts disagreed.',
    ]);
  });
});

describe('splitParagraphs', () => {
  it('splits at blank lines, squeezes white space and drops empty paragraphs', () => {
    expect(splitParagraphs('a  b\nc\n\n\n \n d ')).toEqual(['a b c', 'd']);
  });
});
