import type { LoadModelOptions } from '../checkpoint/model-files.js';
import type { Task, TaskPipeline, TaskSettings } from '../contracts/task.js';
import type { Seq2Seq } from '../model/seq2seq.js';
import type { ReplicaPool } from '../parallel/replica-pool.js';
import type { Registry } from '../registry/registry.js';
import type { SearchSettings } from './search-settings.js';

/** Options of {@link TaskModel.load}. */
export interface TaskModelLoadOptions extends LoadModelOptions {
  /** Where the model's plugins and its task are registered. Default: the global registry. */
  readonly registry?: Registry;
}

/** What a {@link TaskModel} is made of, for a model trained or loaded in this process. */
export interface TaskModelParts {
  readonly model: Seq2Seq;
  /** The task, or its registered name. */
  readonly task: Task | string;
  readonly settings: TaskSettings;
  readonly pipeline: TaskPipeline;
  /** Fields saved with the model besides task, settings and pipeline (a training summary). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly registry?: Registry;
}

/** Options of {@link TaskModel.decode}. */
export interface DecodeOptions {
  /** The search to use instead of the model's own (`settings.search`). */
  readonly search?: SearchSettings;
  /** Hypotheses per input, best first. Default: what the search returns (1 for its defaults). */
  readonly nbest?: number;
  /** Return each hypothesis's attention alignment, `[output tokens][input positions]`. Default false. */
  readonly alignments?: boolean;
  /** Inputs encoded and searched at once. Default 32. */
  readonly batchSize?: number;
  /**
   * Worker threads holding replicas of this model (`ReplicaPool.start(taskModel.model, …)`
   * from `@s2s/core/parallel`, Node only). With several batches, each batch goes whole to
   * the next free thread and several decode at once; a single batch has its rows split
   * across them (see {@link DecodeOptions.spread}). Results come back in input order, the
   * same as in one thread.
   */
  readonly pool?: ReplicaPool;
  /**
   * How a `pool` shares the work: `'batches'` sends each batch whole to the next free
   * thread, `'rows'` splits every batch's rows across the threads, `'auto'` (default) splits
   * rows when the texts make one batch and sends batches otherwise. A server that decodes
   * several requests' batches at once wants `'batches'`.
   */
  readonly spread?: 'auto' | 'rows' | 'batches';
}

/** Options of {@link TaskModel.evaluate}. */
export interface EvaluateOptions {
  readonly search?: SearchSettings;
  readonly batchSize?: number;
  /** Worker threads holding replicas of this model, as in {@link DecodeOptions.pool}. */
  readonly pool?: ReplicaPool;
}

/** One hypothesis for an input, as text with how the model scored it. */
export interface DecodedHypothesis {
  readonly text: string;
  /** Output tokens, one per alignment row (`<eos>` included when emitted). */
  readonly tokens: readonly string[];
  /** The score the search ranked it by (e.g. log P / L^α for beam search). */
  readonly score: number;
  /** log P(output | input). */
  readonly logProb: number;
  readonly tokenLogProbs: readonly number[];
  /** Whether it ended with `<eos>` rather than at the length limit. */
  readonly finished: boolean;
  /** `[tokens.length][input positions]` attention weights, when asked for and the decoder attends. */
  readonly alignment?: readonly (readonly number[])[];
}

/** One decoded input. */
export interface DecodedText {
  readonly input: string;
  /** Labels of the input's positions (tokens, frames, sentences): the alignment's columns. */
  readonly sourceTokens: readonly string[];
  /** Best first. */
  readonly hypotheses: readonly DecodedHypothesis[];
}

/** What {@link TaskModel.info} reports. */
export interface TaskModelInfo {
  readonly task: string;
  readonly settings: TaskSettings;
  /** Vocabulary sizes; `source` is absent for feature inputs (speech). */
  readonly vocabularies: { readonly source?: number; readonly target: number };
  /** Features per input frame, for feature inputs. */
  readonly sourceFeatures?: number;
  readonly parameters: number;
  /** The TensorFlow.js backend it runs on. */
  readonly backend: string;
}
