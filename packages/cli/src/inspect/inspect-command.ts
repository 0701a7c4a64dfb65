import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CliError } from '../cli/errors.js';
import type { CliIO } from '../cli/io.js';
import { openModel, withOrigins } from '../model/open-model.js';
import { locateModel } from '../model/run-folder.js';
import { chooseSearch, type SearchFlags } from '../search/search-flags.js';
import { readLog } from '../train/training-log.js';
import { trainingCurves } from './curves.js';
import { attentionHeatmap } from './heatmap.js';
import { writeSvgAndPng } from './render.js';

/** Flags of `s2s inspect`. */
export interface InspectFlags extends SearchFlags {
  readonly curves?: boolean;
  /** Output path without extension; `.svg` and `.png` are added. */
  readonly output?: string;
}

/**
 * `s2s inspect <model> "input"`: decodes one input and draws the attention alignment as a
 * heat map; `s2s inspect <model> --curves`: draws the run's training curves. Writes an SVG
 * and a PNG and prints their paths.
 */
export async function inspectCommand(
  modelPath: string,
  input: string | undefined,
  flags: InspectFlags,
  io: CliIO,
): Promise<void> {
  const full = resolve(io.cwd, modelPath);
  const written = flags.curves
    ? await curves(full, modelPath, flags, io)
    : await alignment(full, modelPath, input, flags, io);
  io.stdout.write(`${written.svg}\n${written.png}\n`);
}

async function curves(full: string, shown: string, flags: InspectFlags, io: CliIO) {
  const run = locateModel(full, shown).run;
  if (!run || !existsSync(run.log)) {
    throw new CliError(
      `${shown} has no training log: --curves needs the run folder 's2s train --out' wrote`,
    );
  }
  const records = await readLog(run.log);
  if (!records.some((r) => r.type === 'step'))
    throw new CliError(`the training log ${run.log} records no steps yet`);
  const svg = trainingCurves(records, `training curves: ${basename(run.root)}`);
  return writeSvgAndPng(resolve(io.cwd, flags.output ?? join(run.root, 'curves')), svg);
}

async function alignment(
  full: string,
  shown: string,
  input: string | undefined,
  flags: InspectFlags,
  io: CliIO,
) {
  if (input === undefined)
    throw new CliError('inspect needs an input to decode (s2s inspect MODEL "input"), or --curves');
  const opened = await openModel(full, shown, io);
  try {
    const search = chooseSearch(opened.model.settings.search, flags).settings;
    if (input.trim() === '') throw new CliError('input: empty input line');
    const [decoded] = await withOrigins(['input'], () =>
      opened.model.decode([input], { search, alignments: true }),
    );
    const best = decoded!.hypotheses[0]!;
    const weights = best.alignment;
    if (!weights || weights.length === 0) {
      throw new CliError(
        "this model's decoder reports no attention weights, so there is no alignment to draw",
      );
    }
    const sourceLength = weights[0]!.length;
    const labels = decoded!.sourceTokens;
    const source =
      labels.length === sourceLength
        ? labels
        : Array.from({ length: sourceLength }, (_, j) => String(j + 1));
    const target = weights.map((_, i) => best.tokens[i] ?? String(i + 1));
    const svg = attentionHeatmap({
      weights,
      source,
      target,
      title: `${input}  →  ${best.text}`,
    });
    // Outputs stay with the run (or the model) unless the user names a path, so a run
    // from a repository checkout never leaves files in the folder the user stands in.
    const home = opened.run?.root ?? opened.dir;
    return writeSvgAndPng(resolve(io.cwd, flags.output ?? join(home, 'attention')), svg);
  } finally {
    opened.model.dispose();
  }
}
