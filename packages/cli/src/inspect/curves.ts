import { type ScaleLinear, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { LogRecord } from '../train/training-log.js';
import { escapeXml, px, svgDocument } from './svg.js';

type StepRecord = Extract<LogRecord, { type: 'step' }>;
type EpochRecord = Extract<LogRecord, { type: 'epoch' }>;

interface Series {
  readonly label: string;
  readonly colour: string;
  readonly points: readonly (readonly [number, number])[];
  readonly markers?: boolean;
  readonly width?: number;
}

const panel = { width: 440, height: 260, left: 64, right: 20, top: 40, bottom: 48 };
const colours = { step: '#9ecae1', train: '#08519c', dev: '#e6550d', metric: '#31a354' };

/**
 * Training curves as SVG from a training log: the loss per step with the epoch means and
 * the validation loss beside it, and, when the run validated with a task metric, that
 * metric per epoch in a second panel.
 */
export function trainingCurves(records: readonly LogRecord[], title: string): string {
  const steps = records.filter((r): r is StepRecord => r.type === 'step');
  const epochs = records.filter((r): r is EpochRecord => r.type === 'epoch');
  const loss: Series[] = [
    {
      label: 'training loss (step)',
      colour: colours.step,
      points: steps.map((s) => [s.step, s.loss]),
      width: 1,
    },
    {
      label: 'training loss (epoch mean)',
      colour: colours.train,
      points: epochs.filter((e) => e.trainLoss !== undefined).map((e) => [e.step, e.trainLoss!]),
      markers: true,
    },
    {
      label: 'validation loss',
      colour: colours.dev,
      points: epochs
        .filter((e) => e.validation?.loss !== undefined)
        .map((e) => [e.step, e.validation!.loss!]),
      markers: true,
    },
  ];
  const metricName = epochs.find((e) => e.validation?.metric)?.validation?.metric;
  const body = [`<text x="16" y="24" font-size="15" font-weight="bold">${escapeXml(title)}</text>`];
  body.push(...plotPanel(0, 'step', 'loss per token', loss));
  let width = panel.width;
  if (metricName) {
    const metric: Series = {
      label: `validation ${metricName}`,
      colour: colours.metric,
      points: epochs
        .filter((e) => e.validation?.scores?.[metricName] !== undefined)
        .map((e) => [e.epoch + 1, e.validation!.scores![metricName]!]),
      markers: true,
    };
    body.push(
      ...plotPanel(panel.width, 'epoch', metricName, [metric], { integerX: true, unitY: true }),
    );
    width += panel.width;
  }
  return svgDocument(width, panel.height + 40, body, title);
}

function plotPanel(
  offset: number,
  xLabel: string,
  yLabel: string,
  series: readonly Series[],
  options: { integerX?: boolean; unitY?: boolean } = {},
): string[] {
  const all = series.flatMap((s) => s.points);
  const x0 = offset + panel.left;
  const x1 = offset + panel.width - panel.right;
  const y0 = 40 + panel.height - panel.bottom;
  const y1 = 40 + panel.top;
  const x = scaleLinear()
    .domain(extent(all.map((p) => p[0])))
    .range([x0, x1])
    .nice();
  const ys = all.map((p) => p[1]);
  // Scores (0–100: accuracy, exact match, BLEU) read best against the whole range.
  const unit = options.unitY && ys.every((v) => v >= 0 && v <= 100);
  const y = scaleLinear()
    .domain(unit ? [0, 100] : extent(ys))
    .range([y0, y1])
    .nice();
  const out = axes(x, y, xLabel, yLabel, options.integerX ?? false);
  const path = line<readonly [number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]));
  series.forEach((s, k) => {
    if (s.points.length === 0) return;
    out.push(
      `<path d="${path(s.points)}" fill="none" stroke="${s.colour}" stroke-width="${s.width ?? 2}"/>`,
    );
    if (s.markers) {
      for (const [a, b] of s.points)
        out.push(`<circle cx="${px(x(a))}" cy="${px(y(b))}" r="3" fill="${s.colour}"/>`);
    }
    const ly = y1 - 22 + k * 14;
    out.push(
      `<line x1="${px(x1 - 190)}" y1="${px(ly - 4)}" x2="${px(x1 - 172)}" y2="${px(ly - 4)}" stroke="${s.colour}" stroke-width="3"/>`,
      `<text x="${px(x1 - 166)}" y="${px(ly)}" font-size="11">${escapeXml(s.label)}</text>`,
    );
  });
  return out;
}

function axes(
  x: ScaleLinear<number, number>,
  y: ScaleLinear<number, number>,
  xLabel: string,
  yLabel: string,
  integerX: boolean,
): string[] {
  const [x0, x1] = x.range() as [number, number];
  const [y0, y1] = y.range() as [number, number];
  const out = [
    `<line x1="${px(x0)}" y1="${px(y0)}" x2="${px(x1)}" y2="${px(y0)}" stroke="#444"/>`,
    `<line x1="${px(x0)}" y1="${px(y0)}" x2="${px(x0)}" y2="${px(y1)}" stroke="#444"/>`,
  ];
  const fx = integerX ? String : x.tickFormat(6);
  for (const t of x.ticks(6).filter((t) => !integerX || Number.isInteger(t))) {
    out.push(
      `<line x1="${px(x(t))}" y1="${px(y0)}" x2="${px(x(t))}" y2="${px(y0 + 5)}" stroke="#444"/>`,
      `<text x="${px(x(t))}" y="${px(y0 + 18)}" font-size="11" text-anchor="middle">${fx(t)}</text>`,
    );
  }
  const fy = y.tickFormat(6);
  for (const t of y.ticks(6)) {
    out.push(
      `<line x1="${px(x0 - 5)}" y1="${px(y(t))}" x2="${px(x1)}" y2="${px(y(t))}" stroke="#e5e5e5"/>`,
      `<text x="${px(x0 - 8)}" y="${px(y(t) + 4)}" font-size="11" text-anchor="end">${fy(t)}</text>`,
    );
  }
  out.push(
    `<text x="${px((x0 + x1) / 2)}" y="${px(y0 + 38)}" font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="${px(x0 - 48)}" y="${px((y0 + y1) / 2)}" font-size="12" text-anchor="middle" transform="rotate(-90 ${px(x0 - 48)} ${px((y0 + y1) / 2)})">${escapeXml(yLabel)}</text>`,
  );
  return out;
}

function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  // A loop, not Math.min(...finite): a long run's log has more steps than a call has arguments.
  const lo = finite.reduce((a, b) => Math.min(a, b));
  const hi = finite.reduce((a, b) => Math.max(a, b));
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}
