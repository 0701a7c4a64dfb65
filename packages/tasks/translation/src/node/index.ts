export { readTranslationExamples } from './read-examples.js';
export { samplePath } from './sample.js';
