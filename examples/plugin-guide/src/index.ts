import './register.js';

export {
  BilinearAttention,
  type BilinearCache,
  bilinearOptions,
  createBilinearAttention,
} from './bilinear-attention.js';
export {
  createElmanDecoder,
  type ElmanCache,
  ElmanDecoder,
  type ElmanState,
  elmanOptions,
} from './elman-decoder.js';
export { MinLengthGreedy, minLengthGreedyOptions } from './min-length-greedy.js';
