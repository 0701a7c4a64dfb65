export { babiSamplePath } from './sample.js';
