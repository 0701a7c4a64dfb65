import './register.js';

export { babiTaskOf, readBabi } from './babi/read-babi.js';
export { splitByStory } from './babi/story-split.js';
export {
  formatStoryInput,
  parseStoryInput,
  type StoryInput,
} from './input/story-input.js';
export { answerScores, PASS_ACCURACY } from './pipeline/answer-scores.js';
export {
  ANSWER_SEPARATOR,
  answerItems,
  ComprehensionPipeline,
  type ComprehensionPipelineJSON,
  words,
} from './pipeline/comprehension-pipeline.js';
export {
  passageTensors,
  QUESTION,
  QUESTION_MASK,
  questionInputs,
  type StoryIds,
  SUPPORT,
  storyBatch,
} from './pipeline/story-tensors.js';
export {
  type ComprehensionData,
  comprehensionDataSchema,
  dataDefaults,
  dataSettings,
  type QuestionShape,
} from './settings/data-settings.js';
export { COMPREHENSION, comprehensionTask } from './task/comprehension-task.js';
export { comprehensionDefaults } from './task/defaults.js';
