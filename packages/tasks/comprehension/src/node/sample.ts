import { fileURLToPath } from 'node:url';

/**
 * The folder of the bAbI sample shipped with this package (sixty stories of task 1, three
 * each of tasks 2, 8 and 19; CC BY 3.0, Facebook), for trying the task without the full
 * data set.
 */
export const babiSamplePath: string = fileURLToPath(
  new URL('../../data/babi-sample', import.meta.url),
);
