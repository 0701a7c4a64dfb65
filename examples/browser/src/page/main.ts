/**
 * The page: picks a backend, loads a trained translation model by URL and translates what
 * the user types with beam search, listing the n-best with their scores and drawing the
 * attention of the one clicked. Query parameters: `model` (the model folder's URL, default
 * `model/`), `wasm` (where the `.wasm` files are, default `wasm/`), `backend` (default
 * `wasm`, the backend Node.js uses too, so both give the same numbers).
 */
import { type BackendChoice, backendChoices, TaskModel, useBackend } from '@s2s/core';
// Registers the translation task and the plugins its models are built from.
import '@s2s/task-translation';
import { heatmapSvg } from './heatmap.js';

const params = new URLSearchParams(location.search);
const modelUrl = new URL(params.get('model') ?? 'model/', location.href).href;
const wasmPaths = new URL(params.get('wasm') ?? 'wasm/', location.href).href;
const backend = (params.get('backend') ?? 'wasm') as BackendChoice;

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = element<HTMLParagraphElement>('status');
const warnings = element<HTMLDivElement>('warnings');
const form = element<HTMLFormElement>('form');
const source = element<HTMLInputElement>('source');
const beam = element<HTMLInputElement>('beam');
const nbest = element<HTMLInputElement>('nbest');
const hypotheses = element<HTMLOListElement>('hypotheses');
const attention = element<HTMLDivElement>('attention');

start().catch(fail);

async function start(): Promise<void> {
  if (!backendChoices.includes(backend)) {
    throw new Error(`unknown backend '${backend}'; choose one of ${backendChoices.join(', ')}`);
  }
  say(`Starting the ${backend} backend…`);
  const info = await useBackend(backend, { wasmPaths, onWarning: warn });
  say(`Loading the model from ${modelUrl}…`);
  const model = await TaskModel.load(modelUrl);
  const { parameters } = model.info();
  const ready = `Ready: ${model.task} model, ${parameters.toLocaleString('en')} parameters, backend ${info.description}.`;
  say(ready);
  for (const input of [source, beam, nbest, element<HTMLButtonElement>('translate')]) {
    input.disabled = false;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    translate(model)
      .then(() => say(ready))
      .catch(fail);
  });
  document.body.dataset.state = 'ready';
}

async function translate(model: TaskModel): Promise<void> {
  document.body.dataset.state = 'translating';
  say('Translating…');
  const beamSize = Number(beam.value);
  const base = model.settings.search;
  const search = base.name === 'beam' ? { ...base, beamSize } : { name: 'beam', beamSize };
  const [decoded] = await model.decode([source.value], {
    search,
    nbest: Number(nbest.value),
    alignments: true,
  });
  hypotheses.replaceChildren();
  decoded!.hypotheses.forEach((hypothesis, rank) => {
    const item = document.createElement('li');
    item.dataset.score = String(hypothesis.score);
    item.innerHTML = '<span class="score"></span> <span class="text"></span>';
    item.querySelector('.score')!.textContent = hypothesis.score.toFixed(3);
    item.querySelector('.text')!.textContent = hypothesis.text;
    item.addEventListener('click', () => select(rank));
    hypotheses.append(item);
  });
  const select = (rank: number) => {
    const hypothesis = decoded!.hypotheses[rank]!;
    [...hypotheses.children].forEach((li, i) => {
      li.setAttribute('aria-selected', String(i === rank));
    });
    attention.innerHTML = hypothesis.alignment
      ? heatmapSvg({
          rows: hypothesis.tokens,
          columns: decoded!.sourceTokens,
          weights: hypothesis.alignment,
        })
      : '<p>This model has no attention to show.</p>';
  };
  if (decoded!.hypotheses.length > 0) select(0);
  document.body.dataset.state = 'ready';
}

function say(text: string): void {
  status.textContent = text;
}

function warn(message: string): void {
  const line = document.createElement('p');
  line.textContent = message;
  warnings.append(line);
  warnings.hidden = false;
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  status.textContent = message;
  status.classList.add('error');
  document.body.dataset.state = 'error';
  console.error(error);
}
