import { load as loadYaml } from 'js-yaml';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type * as z from 'zod';
import { scenarioSchema, type ScenarioSpec } from './schema.js';

/**
 * Scenario text to a checked spec. Every problem is collected, each with its path in the file
 * and its line:column, and reported together; nothing throws.
 *
 * Two YAML parsers, each for what it does well: js-yaml reads the data (several times faster on
 * large files), and `yaml` builds the document with node positions, but only when something has
 * to be located (a parse error, a schema problem, a finding).
 */

export type SpecPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

export interface InputProblem {
  /** `zones[0].pods[1].gateway` */
  path: string;
  position?: Position;
  message: string;
}

function parseWithPositions(text: string): { document: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true, strict: true });
  return { document, lines };
}

/**
 * Locates any path of the spec in the file (findings, for example). The positioned document is
 * built on the first question, so a file with nothing to report never pays for it.
 */
export class SourceMap {
  private parsed: { document: Document.Parsed; lines: LineCounter } | undefined;

  constructor(private readonly text: string) {}

  /**
   * The position of the node at `path`. When the path goes further than the file (a missing key,
   * a field the spec does not spell out), the deepest node that exists is used. With `asKey`, the
   * key of the last segment is located instead of its value (for unknown keys).
   */
  locate(path: SpecPath, asKey = false): Position | undefined {
    this.parsed ??= parseWithPositions(this.text);
    let node: unknown = this.parsed.document.contents;
    let found: unknown = node;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        if (asKey && i === path.length - 1) {
          found = pair.key;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
      } else {
        break;
      }
      if (node === undefined || node === null) break;
      found = node;
    }
    const range = (found as Node | undefined)?.range;
    if (!range) return undefined;
    const pos = this.parsed.lines.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  }
}

export type ParseResult =
  | { ok: true; spec: ScenarioSpec; source: SourceMap }
  | { ok: false; problems: InputProblem[] };

export function formatSpecPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(top level)' : out;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value}"`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function messageOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `is required (${EXPECTED[issue.expected] ?? issue.expected})`;
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array') return issue.message.startsWith('Too small') ? `needs at least ${String(issue.minimum)} entries` : issue.message;
      if (issue.origin === 'string') return issue.message.startsWith('Too small') ? 'must not be empty' : issue.message;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}, got ${describe(issue.input)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}, got ${describe(issue.input)}`;
    case 'invalid_value':
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}, got ${describe(issue.input)}`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    default:
      return issue.message;
  }
}

/** One mistake (an unquoted brace, say) can confuse the parser for the rest of the file. */
const MAX_PROBLEMS = 25;

function capped(problems: InputProblem[]): InputProblem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.length - MAX_PROBLEMS;
  return [...problems.slice(0, MAX_PROBLEMS), { path: '(file)', message: `… and ${rest} more problem(s); fix the first ones and check again` }];
}

function yamlProblems(text: string, fallback: unknown): InputProblem[] {
  const { document } = parseWithPositions(text);
  const problems: InputProblem[] = document.errors.map((error) => {
    const pos = error.linePos?.[0];
    return {
      path: '(yaml)',
      ...(pos ? { position: { line: pos.line, column: pos.col } } : {}),
      message: error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
    };
  });
  if (problems.length > 0) return problems;
  // Only js-yaml objected: report its own words and place.
  const mark = (fallback as { mark?: { line: number; column: number }; reason?: string }) ?? {};
  return [{ path: '(yaml)', ...(mark.mark ? { position: { line: mark.mark.line + 1, column: mark.mark.column + 1 } } : {}), message: mark.reason ?? String(fallback) }];
}

export function parseScenarioText(text: string): ParseResult {
  let raw: unknown;
  try {
    raw = loadYaml(text);
  } catch (error) {
    return { ok: false, problems: capped(yamlProblems(text, error)) };
  }
  const source = new SourceMap(text);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ path: '(top level)', position: { line: 1, column: 1 }, message: 'a scenario is a mapping with version, name and zones' }] };
  }
  const result = scenarioSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const problems: InputProblem[] = [];
    // A misspelled required key shows up twice: as an unknown key and as a missing one. The
    // unknown key names the one it probably meant, so the "is required" line adds nothing.
    const suggested = new Set<string>();
    for (const issue of result.error.issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      for (const match of issue.message.matchAll(/did you mean "([^"]+)"/g)) suggested.add(formatSpecPath([...(issue.path as (string | number)[]), match[1]!]));
    }
    for (const issue of result.error.issues) {
      const path = issue.path as (string | number)[];
      if (issue.code === 'invalid_type' && issue.input === undefined && suggested.has(formatSpecPath(path))) continue;
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const position = source.locate([...path, key], true);
          problems.push({ path: formatSpecPath([...path, key]), ...(position ? { position } : {}), message: messageOf(issue).split('; ').find((m) => m.includes(`"${key}"`)) ?? `unknown key "${key}"` });
        }
        continue;
      }
      const position = source.locate(path);
      problems.push({ path: formatSpecPath(path), ...(position ? { position } : {}), message: messageOf(issue) });
    }
    problems.sort((a, b) => (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0));
    return { ok: false, problems: capped(problems) };
  }
  return { ok: true, spec: result.data, source };
}
