import './register.js';

export {
  AttentionalDecoder,
  type AttentionalDecoderCache,
  type AttentionalDecoderOptions,
  type AttentionalDecoderState,
  createAttentionalDecoder,
} from './attentional/attentional-decoder.js';
