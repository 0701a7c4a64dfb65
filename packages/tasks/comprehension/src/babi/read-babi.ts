import { readAccess, type TaskExample, type TaskReadOptions } from '@s2s/core';
import { babiExamples, DataError, parseBabiStories } from '@s2s/data';
import { formatStoryInput } from '../input/story-input.js';

/** A bAbI task file name: `qa<N>_<name>_<split>.txt`. */
const taskFile = /^qa(\d+)_[\w-]+\.txt$/u;

/** The bAbI task number of an example, read from its origin's file name; undefined if none. */
export function babiTaskOf(example: TaskExample): number | undefined {
  const file = example.origin?.replace(/:\d+$/u, '');
  const match = file === undefined ? null : taskFile.exec(baseName(file));
  return match ? Number(match[1]) : undefined;
}

/**
 * Reads bAbI examples (Weston et al. 2015, v1.2 format) from one task file, or from every
 * `qaN_*.txt` file of a folder in task order, keeping the tasks in `tasks` (all when
 * undefined). Each question becomes one example: the facts told before it as the story,
 * its supporting facts as indices into that story, its answer (a word, or a list such as
 * `apple,football`) as the reference, and `file:line` of the question as the origin.
 *
 * Files are read through `files` (`nodeReadOptions` from `@s2s/data/node` in Node): `readLines`
 * always, `pathKind` and `listFolder` to tell and list a folder.
 */
export async function* readBabi(
  path: string,
  files: TaskReadOptions,
  tasks?: readonly number[],
): AsyncGenerator<TaskExample> {
  const readLines = readAccess(files, 'readLines', 'comprehension', path);
  for (const file of await taskFiles(path, files, tasks)) {
    for await (const story of parseBabiStories(readLines(file), file)) {
      const examples = babiExamples(story);
      for (const [i, example] of examples.entries()) {
        const question = story.questions[i]!;
        const ids = example.context.map((fact) => fact.id);
        yield {
          input: formatStoryInput({
            story: example.context.map((fact) => fact.text),
            question: example.question,
            support: example.supportingFacts.map((id) => ids.indexOf(id)),
          }),
          references: [example.answer],
          // Line ids count the lines of a story, so the question's line is start + id − 1.
          origin: `${file}:${story.line + question.id - 1}`,
        };
      }
    }
  }
}

async function taskFiles(
  path: string,
  access: TaskReadOptions,
  tasks: readonly number[] | undefined,
): Promise<string[]> {
  const kind = await readAccess(access, 'pathKind', 'comprehension', path)(path);
  if (kind === undefined) throw new DataError({ file: path }, 'no such file or folder');
  if (kind === 'file') return [path];
  const files = (await readAccess(access, 'listFolder', 'comprehension', path)(path))
    .map((name) => ({ name, match: taskFile.exec(name) }))
    .filter((f) => f.match && (!tasks || tasks.includes(Number(f.match[1]))))
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]) || a.name.localeCompare(b.name))
    .map((f) => joinPath(path, f.name));
  if (files.length === 0) {
    throw new DataError(
      { file: path },
      `no bAbI task files (qaN_<name>_train.txt)${tasks ? ` for tasks ${tasks.join(', ')}` : ''} in this folder`,
    );
  }
  return files;
}

/** The last part of a path, after its last `/` or `\\`. */
function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `name` inside `folder`, with the folder's own separator when it ends with one. */
function joinPath(folder: string, name: string): string {
  return /[/\\]$/u.test(folder) ? `${folder}${name}` : `${folder}/${name}`;
}
