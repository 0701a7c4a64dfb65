import { mergeConfig } from 'vitest/config';
import { packageConfig } from '../../vitest.shared.ts';

export default mergeConfig(packageConfig(import.meta.dirname), {
  // Verbs run in this thread unless a test asks for --workers: the toy task's plugin is a
  // TypeScript file here, which worker threads cannot import.
  test: { globalSetup: ['test/build-cli.ts'], env: { S2S_WORKERS: '1' } },
});
