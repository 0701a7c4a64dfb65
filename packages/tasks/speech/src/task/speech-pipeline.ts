import {
  type BatchOptions,
  type BatchSource,
  ConfigError,
  type DecodedOutput,
  type EncodedSources,
  type Hypothesis,
  type ModelConfig,
  type ModelRecipe,
  type TaskExample,
  type TaskPipeline,
  type TaskScores,
  type Tokenizer,
  type Vocabulary,
} from '@s2s/core';
import {
  BucketBatchSource,
  CharacterTokenizer,
  DataError,
  type Features,
  WordTokenizer,
} from '@s2s/data';
import { characterErrorRate, wordErrorRate } from '@s2s/metrics';
import * as tf from '@tensorflow/tfjs';
import { AudioInput } from '../audio/audio-input.js';
import { type SpeechFeatureOptions, SpeechFeatures } from '../features/speech-features.js';
import { renderUtterance } from '../utterances/utterance.js';
import type { SpeechDataSettings } from './speech-settings.js';

/** What a {@link SpeechPipeline} saves with a model. */
export interface SpeechPipelineJSON {
  readonly version: 1;
  readonly outputs: 'word' | 'character';
  readonly vocabulary: unknown;
  readonly features: SpeechFeatureOptions;
  readonly maxSeconds: number;
}

/**
 * What the speech task learned and needs at run time: the front end (log-mel features,
 * normalised per utterance), the output units and their vocabulary, and in training the
 * SpecAugment masks. Turns examples into `[B, S, F]` feature batches, WAV paths and
 * utterance recipes into encoded sources, hypotheses into transcripts, and scores
 * transcripts by word and character error rate.
 */
export class SpeechPipeline implements TaskPipeline {
  readonly features: SpeechFeatures;
  private readonly audio: AudioInput;
  private readonly tokenizer: Tokenizer;

  constructor(
    readonly vocabulary: Vocabulary,
    private readonly settings: Pick<
      SpeechDataSettings,
      'outputs' | 'features' | 'maxSeconds' | 'perturb' | 'specAugment'
    > &
      Partial<Pick<SpeechDataSettings, 'pad'>>,
  ) {
    this.features = new SpeechFeatures(settings.features);
    this.audio = new AudioInput(this.features.options.sampleRate, this.settings.maxSeconds);
    this.tokenizer = outputTokenizer(settings.outputs);
  }

  /** Output tokens of a transcript (words, or characters with `' '` between words). */
  tokens(text: string): string[] {
    return this.tokenizer.encode(text);
  }

  modelConfig(recipe: ModelRecipe): ModelConfig {
    return {
      ...recipe,
      source: { features: this.features.size },
      target: { vocabSize: this.vocabulary.size },
    };
  }

  /**
   * Feature batches of the examples, bucketed by length. With `shuffle` (training) each
   * example's features are perturbed and masked afresh every epoch, seeded by (seed,
   * epoch, example); without it (validation) they are left as they are.
   */
  batches(examples: readonly TaskExample[], options: BatchOptions): BatchSource {
    const augment = options.shuffle ? this.augmentation() : undefined;
    return new BucketBatchSource(
      examples.map((example, i) => ({
        source: this.featuresOf(example.input, example.origin ?? `example ${i + 1}`),
        target: this.targetIds(example, i),
      })),
      {
        specials: this.vocabulary,
        seed: options.seed,
        batchSize: options.batchSize,
        shuffle: options.shuffle,
        ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
        ...(augment ? { augment } : {}),
      },
    );
  }

  /**
   * `[B, S, F]` features and mask of WAV paths or utterance recipes. Labels name each row's
   * frames by their start time (`0.01s`), for attention plots over the audio.
   */
  encode(inputs: readonly string[]): EncodedSources {
    if (inputs.length === 0) throw new DataError({ file: '<inputs>' }, 'no inputs to encode');
    const all = inputs.map((input, i) =>
      this.featuresOf(input, inputs.length > 1 ? `input ${i + 1}` : undefined),
    );
    const width = Math.max(...all.map((f) => f.frames));
    const f = this.features.size;
    const data = new Float32Array(all.length * width * f);
    const mask = new Float32Array(all.length * width);
    all.forEach((features, row) => {
      data.set(features.data.subarray(0, features.frames * f), row * width * f);
      mask.fill(1, row * width, row * width + features.frames);
    });
    const seconds = this.features.frameMs / 1000;
    return {
      source: tf.tensor3d(data, [all.length, width, f], 'float32'),
      mask: tf.tensor2d(mask, [all.length, width], 'float32'),
      labels: all.map((features) =>
        Array.from({ length: features.frames }, (_, s) => `${(s * seconds).toFixed(2)}s`),
      ),
    };
  }

  decode(hypothesis: Hypothesis): DecodedOutput {
    return {
      text: this.tokenizer.decode(this.vocabulary.decode(hypothesis.tokens)),
      tokens: hypothesis.tokens.map((id) => this.vocabulary.token(id)),
    };
  }

  /**
   * Word and character error rate against each example's first reference (jiwer's
   * default transforms, as `@s2s/metrics` computes them); the primary score is word
   * accuracy, 1 − WER, so higher is better. Every score is in % (core's 0–100 convention).
   */
  evaluate(outputs: readonly string[], examples: readonly TaskExample[]): TaskScores {
    if (outputs.length !== examples.length) {
      throw new ConfigError(
        `speech evaluate: ${outputs.length} outputs for ${examples.length} examples`,
      );
    }
    const references = examples.map((e) => e.references[0] ?? '');
    const { wer } = wordErrorRate(outputs, references);
    const { cer } = characterErrorRate(outputs, references);
    return {
      scores: { word_accuracy: 100 * (1 - wer), wer: 100 * wer, cer: 100 * cer },
      primary: 'word_accuracy',
      signature: 'wer|cer: jiwer 4 defaults (spaces collapsed, stripped), corpus-level',
    };
  }

  toJSON(): SpeechPipelineJSON {
    return {
      version: 1,
      outputs: this.settings.outputs,
      vocabulary: this.vocabulary.toJSON(),
      features: this.features.options,
      maxSeconds: this.settings.maxSeconds,
    };
  }

  /** Training-time perturbation and SpecAugment, as the settings ask; undefined for neither. */
  private augmentation(): ((features: Features, seed: number) => Features) | undefined {
    const { perturb, specAugment } = this.settings;
    if (perturb === false && specAugment === false) return undefined;
    return (features, seed) => this.features.augment(features, seed, { perturb, specAugment });
  }

  private featuresOf(input: string, where?: string): Features {
    let samples = this.audio.samples(input, where);
    const pad = this.settings.pad;
    if (pad && !AudioInput.isRecipe(input)) {
      const edge = Math.round(pad.edgeMs);
      samples = renderUtterance(
        { speaker: '', clips: [input], gapsMs: [edge, edge], snrDb: pad.snrDb, seed: 0 },
        [samples],
        this.features.options.sampleRate,
      );
    }
    const seconds = samples.length / this.features.options.sampleRate;
    if (seconds > this.settings.maxSeconds) {
      throw new DataError(
        { file: where ?? input },
        `${seconds.toFixed(1)} s of audio; this model takes at most ${this.settings.maxSeconds} s (data.maxSeconds)`,
      );
    }
    const features = this.features.compute(samples);
    const bad = features.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      throw new DataError(
        { file: where ?? input },
        `feature ${bad % features.features} of frame ${Math.floor(bad / features.features)} is ${features.data[bad]}; expected finite features`,
      );
    }
    return features;
  }

  private targetIds(example: TaskExample, i: number): number[] {
    const reference = example.references[0];
    if (reference === undefined || reference.trim() === '') {
      throw new DataError({ file: example.origin ?? `example ${i + 1}` }, 'no transcript');
    }
    return this.vocabulary.encode(this.tokens(reference));
  }
}

/** The tokenizer of an output unit; transcripts are lower-cased. */
export function outputTokenizer(outputs: 'word' | 'character'): Tokenizer {
  return outputs === 'word'
    ? new WordTokenizer({ lowercase: true, elisions: [] })
    : new CharacterTokenizer({ lowercase: true });
}
