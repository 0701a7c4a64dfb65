import './register.js';

export { fitTokenizer } from './pipeline/fit-tokenizer.js';
export { scoreTranslations } from './pipeline/score.js';
export {
  POOL_BATCHES,
  TranslationPipeline,
  type TranslationPipelineJSON,
  type TranslationPipelineParts,
} from './pipeline/translation-pipeline.js';
export { translationExamples } from './reading/read-examples.js';
export { type SplitOptions, splitBySource, splitOptions } from './reading/split-by-source.js';
export {
  checkTokenizer,
  countWords,
  dataDefaults,
  dataSettings,
  type TranslationDataSettings,
  translationDataSchema,
} from './settings/data-settings.js';
export { defaultRecipe, translationDefaults } from './settings/defaults.js';
export { TranslationTask, translationTask } from './translation-task.js';
