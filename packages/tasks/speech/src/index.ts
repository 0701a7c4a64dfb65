import './register.js';

export { type AudioFileReader, AudioInput, setAudioFileReader } from './audio/audio-input.js';
export {
  type PerturbOptions,
  perturbDefaults,
  perturbFeatures,
  perturbOptions,
  warpAndStretch,
} from './features/perturb.js';
export {
  type AugmentOptions,
  featureDefaults,
  type SpeechFeatureOptions,
  SpeechFeatures,
  speechFeatureOptions,
  stackFrames,
  unstackFrames,
} from './features/speech-features.js';
export {
  outputTokenizer,
  SpeechPipeline,
  type SpeechPipelineJSON,
} from './task/speech-pipeline.js';
export {
  dataDefaults,
  type PadOptions,
  padOptions,
  type SpeechDataSettings,
  speechDataSchema,
  speechDataSettings,
} from './task/speech-settings.js';
export { SPEECH_TASK, speakerOf, speechTask } from './task/speech-task.js';
export { DIGIT_WORDS, type DigitClip, parseDigitClip } from './utterances/digit-clip.js';
export {
  parseUtteranceRecipe,
  planUtterances,
  renderUtterance,
  SYNTHETIC_PREFIX,
  transcriptOf,
  type UtteranceOptions,
  type UtteranceRecipe,
  utteranceDefaults,
  utteranceOptions,
} from './utterances/utterance.js';
