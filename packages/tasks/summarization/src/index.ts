import './register.js';

export { type Article, parseArticle } from './article/article.js';
export { splitParagraphs, splitSentences } from './article/sentences.js';
export { LEAD_SENTENCES, lead, leadBaseline } from './baseline/lead.js';
export {
  type ArticleGeneratorOptions,
  type GeneratedArticle,
  generateArticles,
  toJsonl,
} from './generate/article-generator.js';
export { CopyBatchSource, type TokenizedExample } from './pipeline/copy-batch-source.js';
export {
  disposeEncoded,
  ROUGE_SIGNATURE,
  SummarizationPipeline,
} from './pipeline/summarization-pipeline.js';
export { readArticles } from './reader/read-articles.js';
export {
  type ChosenSearch,
  chooseSearch,
  decodeExamples,
  splitDev,
} from './report/decode-examples.js';
export {
  dataDefaults,
  dataSettings,
  type SummarizationData,
  type SummaryTarget,
} from './task/data-settings.js';
export {
  createSummarizationTask,
  headlinePreset,
  headlineTask,
  summarizationTask,
  summaryPreset,
} from './task/summarization-task.js';
