import { resolve } from 'node:path';
import { ConfigError } from '@s2s/core';
import { ReplicaPool } from '@s2s/core/parallel';
import type { DecodeOptions, DecodeResult, ServableModel } from '@s2s/serve';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { formatDecoded, type OutputFormat } from '../decode/format-output.js';
import { openModel, withOrigins } from '../model/open-model.js';
import { chooseSearch, type SearchFlags } from '../search/search-flags.js';
import type { Parallelism } from '../setup/workers.js';

/** A trained model as the server and the queue worker use it. */
export interface ServedModel extends ServableModel {
  /** Decodes lines `firstIndex`, `firstIndex + 1`, … and formats them as `s2s decode` prints them. */
  decodeFormatted(
    texts: readonly string[],
    firstIndex: number,
    format: OutputFormat,
    flags: SearchFlags,
  ): Promise<string[]>;
  /** Decode calls that can run at once: the worker threads, or 1 in this thread. */
  readonly concurrency: number;
  /** Ends the worker threads and frees the weights. */
  close(): Promise<void>;
}

/**
 * Opens the model a user named as a `TaskModel` for serving. With `parallel.workers` ≥ 1,
 * that many worker threads hold replicas of it and decode (each call a whole batch on the
 * next free thread, so several calls decode at once), leaving this thread to the HTTP
 * server and the batcher; with 0 or none, this thread decodes. Its saved search settings,
 * overridden by the search flags given to the verb, are the default of every decode;
 * a request's `nbest` is set on that search. The search flags and inputs a caller gets
 * wrong fail with a typed error (`ConfigError`, `InputError`), which the server answers
 * with 400 and the queue does not retry.
 */
export async function openServedModel(
  modelPath: string,
  defaults: SearchFlags,
  io: CliIO,
  parallel?: Parallelism,
): Promise<ServedModel> {
  const { model } = await openModel(resolve(io.cwd, modelPath), modelPath, io);
  let pool: ReplicaPool | undefined;
  const close = async () => {
    await pool?.close();
    model.dispose();
  };
  const search = (flags: SearchFlags) => {
    try {
      return chooseSearch(model.settings.search, { ...defaults, ...flags }).settings;
    } catch (error) {
      if (error instanceof CliError) throw new ConfigError(error.message);
      throw error;
    }
  };
  try {
    search({}); // a bad flag fails now, not at the first request
    if (parallel && parallel.workers > 0) {
      pool = await ReplicaPool.start(model.model, {
        workers: parallel.workers,
        plugins: parallel.plugins,
        mainThread: false,
      });
    }
  } catch (error) {
    await close();
    throw error;
  }
  const threads = pool ? { pool, spread: 'batches' as const } : {};
  return {
    concurrency: pool?.size ?? 1,
    info: () => ({ ...model.info() }),
    async decode(texts, options: DecodeOptions = {}): Promise<DecodeResult[]> {
      const nbest = options.nbest ?? 1;
      return model.decode(texts, {
        search: search({ nbest }),
        nbest,
        alignments: options.alignments ?? false,
        batchSize: texts.length,
        ...threads,
      });
    },
    async decodeFormatted(texts, firstIndex, format, flags) {
      const origins = texts.map((_, i) => `line ${firstIndex + i}`);
      try {
        const decoded = await withOrigins(origins, () =>
          model.decode(texts, {
            search: search(flags),
            alignments: format === 'json',
            batchSize: texts.length,
            ...threads,
          }),
        );
        return decoded.map((d, i) => formatDecoded(d, firstIndex + i, format));
      } catch (error) {
        if (error instanceof CliError) throw new ConfigError(error.message);
        throw error;
      }
    },
    close,
  };
}
