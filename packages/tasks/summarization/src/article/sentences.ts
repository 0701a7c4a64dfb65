/**
 * Words that end in a full stop without ending a sentence. BBC style writes titles without
 * one (`Mr Blair`), so the list is short; single capital letters (initials) count too.
 */
const abbreviations = new Set(
  (
    'mr mrs ms dr prof st sr jr gen col lt sgt capt rev sen rep gov inc ltd co corp plc vs ' +
    'etc no jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m ' +
    'approx est dept fig mt'
  ).split(' '),
);

// A sentence ends at . ! or ? (and any closing quotes or brackets after it), before white
// space and a capital letter, digit or opening quote.
const boundary = /([.!?]+["'”’)\]]*)\s+(?=["'“‘([]*[\p{Lu}\p{N}])/gu;

/**
 * Splits a text into sentences: paragraphs (blank-line separated) never share a sentence,
 * and inside a paragraph a sentence ends at `.`, `!` or `?` followed by space and a capital
 * letter or digit, unless the word before the full stop is a known abbreviation or an
 * initial. A rule-based splitter, good enough for news prose and the lead-k baselines.
 */
export function splitSentences(text: string): string[] {
  return splitParagraphs(text).flatMap(splitParagraph);
}

/** The non-empty paragraphs of a text, separated by blank lines, each with its space trimmed. */
export function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p !== '');
}

function splitParagraph(paragraph: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of paragraph.matchAll(boundary)) {
    const end = match.index + match[1]!.length;
    if (match[1]!.startsWith('.') && isAbbreviation(paragraph.slice(start, match.index))) continue;
    sentences.push(paragraph.slice(start, end).trim());
    start = match.index + match[0].length;
  }
  const rest = paragraph.slice(start).trim();
  if (rest !== '') sentences.push(rest);
  return sentences;
}

/** Whether the last word of `before` (the text up to a full stop) is an abbreviation. */
function isAbbreviation(before: string): boolean {
  const word = /(\S+)$/u.exec(before)?.[1]?.replace(/^["'“‘([]+/u, '') ?? '';
  return /^\p{Lu}$/u.test(word) || abbreviations.has(word.toLowerCase());
}
