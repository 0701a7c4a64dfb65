export { listFolder, nodeReadOptions, pathKind } from './folders.js';
export { readBabiStories, readJsonl, readJsonlPairs, readTsvPairs } from './read-files.js';
export { asDataError, readLines } from './read-lines.js';
export { listWavFiles, readWav, readWavFiles } from './read-wav.js';
export { sampleFiles } from './sample-files.js';
