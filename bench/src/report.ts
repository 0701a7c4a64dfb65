import type { WorkerMemory } from '@s2s/core';
import { threadMemory } from '@s2s/core/parallel';

/** Median of a non-empty list. */
export function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export function round(x: number, digits = 1): number {
  return Number(x.toFixed(digits));
}

/** A Markdown table, numbers right-aligned. */
export function formatTable(
  head: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const align = head.map((_, i) => (rows.every((r) => typeof r[i] !== 'string') ? '---:' : '---'));
  return [head, align, ...rows].map((r) => `| ${r.map(String).join(' | ')} |`).join('\n');
}

/** The main thread's memory in the same terms as a worker's. */
export const mainMemory = threadMemory;

/** Memory of the main thread and of each worker thread, and the whole process's RSS. */
export async function memoryReport(owner: { workerMemory(): Promise<WorkerMemory[]> }): Promise<{
  threads: (WorkerMemory & { thread: string })[];
  processRssBytes: number;
  text: string;
}> {
  const threads = [
    { thread: 'main', ...mainMemory() },
    ...(await owner.workerMemory()).map((m, i) => ({ thread: `worker ${i + 1}`, ...m })),
  ];
  const rss = process.memoryUsage().rss;
  const mib = (b: number) => round(b / 2 ** 20);
  const text = formatTable(
    ['thread', 'tensors', 'tensor MiB', 'JS heap MiB', 'wasm memory MiB'],
    [
      ...threads.map((t) => [
        t.thread,
        t.numTensors,
        mib(t.tensorBytes),
        mib(t.heapBytes),
        mib(t.wasmBytes),
      ]),
      ['whole process (RSS)', '', '', '', `${mib(rss)} (all threads, code and buffers included)`],
    ],
  );
  return { threads, processRssBytes: rss, text: `memory at the largest thread count:\n${text}` };
}
