import './register.js';

export { type Article, parseArticle } from './article/article.js';
export { splitParagraphs, splitSentences } from './article/sentences.js';
export {
  extractiveShare,
  oracleSummary,
  proportionalLead,
} from './baseline/extractive-baselines.js';
export { LEAD_SENTENCES, lead, leadBaseline } from './baseline/lead.js';
export { countWords, referenceShare, withinBudget } from './extractive/budget.js';
export {
  ExtractivePipeline,
  type ExtractivePipelineJSON,
  FIRST_SENTENCE,
  sentenceTensors,
} from './extractive/extractive-pipeline.js';
export { greedyOracle, type Oracle } from './extractive/oracle.js';
export {
  type ArticleGeneratorOptions,
  articleGeneratorOptions,
  type GeneratedArticle,
  generateArticles,
  toJsonl,
} from './generate/article-generator.js';
export { CopyBatchSource, type TokenizedExample } from './pipeline/copy-batch-source.js';
export {
  articleBody,
  disposeEncoded,
  ROUGE_SIGNATURE,
  rougeScores,
  SummarizationPipeline,
} from './pipeline/summarization-pipeline.js';
export { articleExamples } from './reader/read-articles.js';
export { splitDev } from './report/split-dev.js';
export {
  dataDefaults,
  dataSettings,
  type SummarizationData,
  type SummaryTarget,
  summarizationDataSchema,
} from './task/data-settings.js';
export {
  createSummarizationTask,
  extractivePreset,
  headlinePreset,
  headlineTask,
  type SummarizationTask,
  summarizationTask,
  summaryPreset,
} from './task/summarization-task.js';
