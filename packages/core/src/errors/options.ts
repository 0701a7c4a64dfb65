import type { z } from 'zod';
import { ConfigError } from './errors.js';
import { didYouMean } from './suggest.js';

/**
 * Validates options against a zod schema and returns what it parses to (defaults filled
 * in). The first problem becomes a {@link ConfigError} that names the option by its path
 * (`training.epochz`), says what was expected and what was found, and for an unknown key
 * adds the closest known one ("did you mean 'epochs'?").
 *
 * @param owner what the options belong to, e.g. `attention 'bahdanau'` or `config file x.json`
 * @param prefix the path of `value` itself, put before each option's path, e.g. `decoder.attention`
 */
export function parseOptions<S extends z.ZodType>(
  owner: string,
  schema: S,
  value: unknown,
  prefix = '',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A key that is not known explains whatever else is missing there (a typo), so it goes first.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  throw new ConfigError(`${owner}: ${describeIssue(issue, schema, value, prefix)}`);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  value: unknown,
  prefix: string,
): string {
  const path = issue.path.map(String);
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The member that came closest says what is wrong most usefully: one of the value's
    // own type first (an object for an object schema), then the one with fewest problems.
    // A literal or enum member (`false`, `'auto'`) given an object reports `invalid_value`,
    // not `invalid_type`, but it is just as much the wrong kind of thing.
    const isObject = typeof valueAt(value, path) === 'object' && valueAt(value, path) !== null;
    const wrongType = (m: readonly z.core.$ZodIssue[]) =>
      m.some(
        (i) =>
          i.path.length === 0 &&
          (i.code === 'invalid_type' || (i.code === 'invalid_value' && isObject)),
      )
        ? 1
        : 0;
    const member = [...issue.errors].sort(
      (a, b) => wrongType(a) - wrongType(b) || a.length - b.length,
    )[0]!;
    const closest = member.find((i) => i.code === 'unrecognized_keys') ?? member[0];
    if (closest) {
      const at = [...path, ...closest.path.map(String)];
      return describeIssue({ ...closest, path: at }, schema, value, prefix);
    }
  }
  const name = (...more: string[]) => [prefix, ...path, ...more].filter(Boolean).join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(schema, value, path);
    const key = issue.keys[0]!;
    return `unknown option '${name(key)}'${didYouMean(key, known)}; known options: ${known.join(', ') || 'none'}`;
  }
  const found = valueAt(value, path);
  const what = path.length === 0 && !prefix ? 'options' : `option '${name()}'`;
  const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  // "Required" only when the value is missing and a value was what the schema wanted; a
  // rule between options may point at one the user left to its default.
  if (found === undefined)
    return issue.code === 'invalid_type'
      ? `${what} is required: ${message}`
      : `${what}: ${message}`;
  return `${what}: ${message}, got ${show(found)}`;
}

/** The keys an object schema at `path` inside `schema` declares (every option of a union). */
function keysAt(schema: z.ZodType, value: unknown, path: readonly string[]): string[] {
  const keys = new Set<string>();
  const here = valueAt(value, path);
  const visit = (node: Node, rest: readonly string[]): void => {
    const def = node._zod.def;
    switch (def.type) {
      case 'object': {
        const shape = def.shape ?? {};
        if (rest.length === 0) for (const key of Object.keys(shape)) keys.add(key);
        else if (shape[rest[0]!]) visit(shape[rest[0]!]!, rest.slice(1));
        return;
      }
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'nonoptional':
      case 'readonly':
      case 'catch':
        if (def.innerType) visit(def.innerType, rest);
        return;
      case 'pipe':
        if (def.in) visit(def.in, rest);
        return;
      case 'union': {
        // A discriminated union's keys are those of the member its discriminator chooses.
        const chosen = (def.options ?? []).filter((option) =>
          chooses(option, def.discriminator, here),
        );
        for (const option of chosen.length > 0 ? chosen : (def.options ?? [])) visit(option, rest);
        return;
      }
      case 'lazy':
        if (def.getter) visit(def.getter(), rest);
        return;
      case 'record':
        if (def.valueType) visit(def.valueType, rest.slice(1));
        return;
      default:
        return;
    }
  };
  visit(schema as unknown as Node, path);
  return [...keys];
}

/** Whether `node`'s discriminator `key` is a literal equal to `value[key]`. */
function chooses(node: Node, key: string | undefined, value: unknown): boolean {
  if (key === undefined || typeof value !== 'object' || value === null) return false;
  const field = node._zod.def.shape?.[key]?._zod.def;
  return (
    field?.type === 'literal' &&
    (field.values ?? []).includes((value as Record<string, unknown>)[key])
  );
}

// The parts of zod's internal definitions that keysAt walks, typed loosely on purpose.
interface Node {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, Node>>;
      readonly innerType?: Node;
      readonly in?: Node;
      readonly options?: readonly Node[];
      readonly getter?: () => Node;
      readonly valueType?: Node;
      readonly discriminator?: string;
      readonly values?: readonly unknown[];
    };
  };
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
}
