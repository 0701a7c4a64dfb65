import { resolve } from 'node:path';
import { ConfigError } from '@s2s/core';
import type { DecodeOptions, DecodeResult, ServableModel } from '@s2s/serve';
import * as tf from '@tensorflow/tfjs';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { decodeInputs } from '../decode/decode-inputs.js';
import { formatDecoded, type OutputFormat } from '../decode/format-output.js';
import { openModel } from '../model/open-model.js';
import { chooseSearch, type SearchFlags } from '../search/search-flags.js';

/** A loaded model as the server and the queue worker use it. */
export interface ServedModel extends ServableModel {
  /** Decodes lines `firstIndex`, `firstIndex + 1`, … and formats them as `s2s decode` prints them. */
  decodeFormatted(
    texts: readonly string[],
    firstIndex: number,
    format: OutputFormat,
    flags: SearchFlags,
  ): Promise<string[]>;
  dispose(): void;
}

/**
 * Opens the model a user named for serving: its saved search settings, overridden by the
 * search flags given to the verb, are the default of every decode.
 */
export async function openServedModel(
  modelPath: string,
  defaults: SearchFlags,
  io: CliIO,
): Promise<ServedModel> {
  const opened = await openModel(resolve(io.cwd, modelPath), modelPath, io);
  const search = (flags: SearchFlags) =>
    chooseSearch(opened.settings.search, { ...defaults, ...flags });
  search({}); // a bad flag fails now, not at the first request
  const decode = async (
    texts: readonly string[],
    origin: (i: number) => string,
    flags: SearchFlags,
    alignments: boolean,
  ) => {
    try {
      return await decodeInputs(
        opened.model,
        opened.pipeline,
        search(flags),
        texts.map((text, i) => ({ text, origin: origin(i) })),
        { alignments },
      );
    } catch (error) {
      // A flag the search rejects, or an input the task rejects: the caller's mistake,
      // answered 400 by the server and not retried by the queue.
      if (error instanceof CliError) throw new ConfigError(error.message);
      throw error;
    }
  };
  return {
    info: () => ({
      task: opened.metadata.task,
      settings: opened.settings,
      vocabularies: {
        source: opened.model.config.source.vocabSize,
        target: opened.model.config.target.vocabSize,
      },
      backend: tf.getBackend(),
    }),
    async decode(texts, options: DecodeOptions = {}): Promise<DecodeResult[]> {
      const flags = options.nbest !== undefined ? { nbest: options.nbest } : {};
      const decoded = await decode(texts, (i) => `texts[${i}]`, flags, options.alignments ?? false);
      return decoded.map((d) => ({
        input: d.input.text,
        hypotheses: d.outputs.map(({ hypothesis, decoded: out }) => ({
          text: out.text,
          score: hypothesis.score,
          ...(hypothesis.alignment ? { alignment: hypothesis.alignment } : {}),
        })),
      }));
    },
    async decodeFormatted(texts, firstIndex, format, flags) {
      const decoded = await decode(
        texts,
        (i) => `line ${firstIndex + i}`,
        flags,
        format === 'json',
      );
      return decoded.map((d, i) => formatDecoded(d, firstIndex + i, format));
    },
    dispose: () => opened.model.dispose(),
  };
}
