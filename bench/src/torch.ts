import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** What `torch_reference.py` printed, parsed. */
export interface TorchFigures {
  readonly trainStepMs: number;
  readonly decoderStepMs: number;
  readonly topkMs: number;
  readonly matmulGflops: number;
  readonly line: string;
}

/**
 * Runs the PyTorch anchor in the same session, with the same thread count, so figures are
 * quoted as ratios to a run made minutes apart on the same machine. Returns a reason
 * string when it cannot run (no script, no python3 with torch).
 */
export function runTorchReference(
  options: { script?: string; threads?: number } = {},
): TorchFigures | string {
  const script = resolve(options.script ?? '../shared/anchors/torch_reference.py');
  if (!existsSync(script)) return `no PyTorch anchor at ${script} (pass --torch-script PATH)`;
  const threads = String(options.threads ?? 2);
  const run = spawnSync('/usr/bin/python3', [script, threads], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: threads },
    timeout: 600_000,
  });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || '').trim().split('\n').at(-1);
    return `the PyTorch anchor did not run (${why}); install it with: apt-get install -y python3-torch libopenblas0-pthread`;
  }
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  const num = (key: string) => Number(line.match(new RegExp(`${key}=([0-9.]+)`))?.[1]);
  return {
    trainStepMs: num('train_ms_median'),
    decoderStepMs: num('decstep_ms'),
    topkMs: num('topk_ms'),
    matmulGflops: Number(line.match(/([0-9.]+)GFLOP\/s/)?.[1]),
    line,
  };
}
