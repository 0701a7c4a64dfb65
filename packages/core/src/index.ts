export {
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type BackendOutcome,
  backendChoices,
  backendOrder,
  backendPlatforms,
  type Platform,
  planBackend,
} from './backend/backend-plan.js';
export {
  type BackendInfo,
  type BackendOptions,
  backendOptions,
  useBackend,
} from './backend/use-backend.js';
export { installWasmKernels } from './backend/wasm-kernels.js';
export { setFusedLstm } from './backend/wasm-lstm.js';
export { CHECKSUMS_FILE, type ChecksumEntry } from './checkpoint/checksums.js';
export {
  type LoadModelOptions,
  loadModel,
  loadModelOptions,
  type ModelSource,
  saveModel,
} from './checkpoint/model-files.js';
export {
  type LoadedModel,
  MODEL_FILE,
  type ModelExtras,
  type ModelIOHandler,
  modelArtifacts,
  modelFromArtifacts,
} from './checkpoint/model-format.js';
export {
  type FetchLike,
  type ModelURLOptions,
  modelFromURL,
  modelURLOptions,
} from './checkpoint/model-url.js';
export { WEIGHTS_BINARY, WEIGHTS_MANIFEST } from './checkpoint/weight-manifest.js';
export { exportWeights, importWeights } from './checkpoint/weights.js';
export type {
  Attention,
  AttentionCache,
  AttentionResult,
  AttentionState,
} from './contracts/attention.js';
export type {
  Decoder,
  DecoderCache,
  DecoderForwardOptions,
  DecoderForwardOutput,
  DecoderState,
  DecoderStepOutput,
} from './contracts/decoder.js';
export type { Bridge, EncodeOptions, Encoder, SourceInputs } from './contracts/encoder.js';
export type { Memory } from './contracts/memory.js';
export type { Module, RunOptions, SeedSource } from './contracts/module.js';
export type { OutputContext, OutputLayer } from './contracts/output.js';
export type {
  Hypothesis,
  SearchOptions,
  SearchStrategy,
  StepModel,
  StepResult,
} from './contracts/search.js';
export type {
  BatchOptions,
  DecodedOutput,
  EncodedSources,
  ModelRecipe,
  Task,
  TaskExample,
  TaskPipeline,
  TaskReadOptions,
  TaskScores,
  TaskSettings,
  TaskSplit,
  TrainingSettings,
} from './contracts/task.js';
export type { Tokenizer } from './contracts/tokenizer.js';
export {
  assertDtype,
  assertShape,
  knownOptions,
  numberIn,
  oneOf,
  positiveInt,
} from './errors/assert.js';
export {
  BackendError,
  CheckpointError,
  ConfigError,
  InputError,
  NonFiniteLossError,
  S2SError,
  ShapeError,
  UnknownPluginError,
  VocabularyError,
  WorkerError,
} from './errors/errors.js';
export { parseOptions } from './errors/options.js';
export { closestName, didYouMean } from './errors/suggest.js';
export {
  type Batch,
  type BatchSpecials,
  disposeBatch,
  makeBatch,
  padSequences,
} from './model/batch.js';
export { forwardByStepping } from './model/forward-by-stepping.js';
export {
  type LossOptions,
  type ModelConfig,
  modelConfigSchema,
  Seq2Seq,
} from './model/seq2seq.js';
export {
  SoftmaxOutput,
  type SoftmaxOutputOptions,
  softmaxOutputOptions,
} from './model/softmax-output.js';
export {
  constant,
  glorotUniform,
  type Initializer,
  normal,
  uniform,
  zeros,
} from './module/initializers.js';
export { countParameters, ParameterSet } from './module/parameters.js';
export { deriveSeed, Rng } from './module/seed.js';
export { dropout } from './ops/dropout.js';
export { gruGates } from './ops/gru.js';
export { carryOverPadding, type LstmGatesOptions, lstmGates } from './ops/lstm.js';
export { MASKED_SCORE, maskBias } from './ops/masked-softmax.js';
export { recurrentMatMul } from './ops/recurrent-matmul.js';
export { softmaxCrossEntropy } from './ops/softmax-cross-entropy.js';
export type { WorkerMemory } from './parallel/protocol.js';
export { attentionFactory, type DecoderSizes } from './registry/attention-factory.js';
export {
  type BuildContext,
  type BuildOptions,
  type BuiltParts,
  type ComponentConfig,
  type PluginDefinition,
  type PluginKind,
  type PluginKinds,
  type PluginOptions,
  Registry,
  registry,
  type Sizes,
} from './registry/registry.js';
export { randomSplit } from './task/random-split.js';
export { type ReadAccessName, readAccess } from './task/read-access.js';
export { mergeSettings } from './task-model/merge-settings.js';
export {
  type CommonSearchOptions,
  commonSearchOptions,
  DEFAULT_MAX_LENGTH,
  overrideSearch,
  type ResolvedSearch,
  resolveSearch,
  type SearchOverrides,
  type SearchSettings,
  searchOptionName,
} from './task-model/search-settings.js';
export {
  LEGACY_CLI_FORMAT,
  readTaskModelMetadata,
  TASK_MODEL_FORMAT,
  type TaskModelMetadata,
  taskModelMetadata,
} from './task-model/task-metadata.js';
export { decodeOptions, disposeEncoded, TaskModel } from './task-model/task-model.js';
export type * from './task-model/task-model-types.js';
export type { BatchSource } from './training/batch-source.js';
export type {
  BestResult,
  CheckpointContents,
  CheckpointStore,
  LoadedCheckpoint,
  TrainingProgress,
} from './training/checkpoint.js';
export { clipByGlobalNorm } from './training/clip.js';
export {
  type CheckpointEvent,
  type CheckpointOptions,
  type EarlyStoppingOptions,
  type EpochEvent,
  type FitOptions,
  type FitResult,
  fitOptions,
  type StepEvent,
  type StopReason,
  type ValidationMetric,
} from './training/fit-options.js';
export type { OptimizerKind } from './training/optimizer-state.js';
export {
  type SampledFeed,
  type ScheduledSamplingLossOptions,
  scheduledSamplingLoss,
  scheduledSamplingLossOptions,
} from './training/scheduled-sampling.js';
export {
  constantSchedule,
  exponentialDecay,
  exponentialSampling,
  inverseSigmoidSampling,
  inverseSqrtSchedule,
  linearSchedule,
  rateOption,
  type Schedule,
  type ScheduleConfig,
  scheduleFromConfig,
  stepDecay,
  withWarmup,
} from './training/schedules.js';
export {
  type ScheduledSamplingOptions,
  type StepReport,
  Trainer,
  type TrainerOptions,
  trainerOptionNames,
  trainerOptions,
} from './training/trainer.js';
export {
  exponentialDecayOptions,
  inverseSqrtScheduleOptions,
  linearScheduleOptions,
  scheduleConfigSchema,
  trainerSettingsSchema,
} from './training/trainer-settings.js';
export { evaluateLoss, type LossSummary } from './training/validation.js';
export {
  disposeTree,
  gatherTree,
  keepTree,
  mapTree,
  type TensorTree,
  tidyTree,
  treeLeaves,
} from './tree/tensor-tree.js';
export {
  defaultSpecials,
  type SpecialTokens,
  Vocabulary,
  type VocabularyJSON,
} from './vocabulary/vocabulary.js';
