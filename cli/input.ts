import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { InputProblem } from '../core/scenario/parse.js';

/**
 * What every command shares: exit codes, reading an input file, printing located problems and
 * writing the output. A command module throws `InputError` for input it cannot use; `main`
 * prints the message (no stack trace) and exits 2.
 */

export const EXIT_OK = 0;
/** The design has errors (validate, plan), or a resource runs out within the horizon (simulate). */
export const EXIT_FINDINGS = 1;
/** An input could not be read or parsed, or the command line is wrong. */
export const EXIT_INPUT = 2;

/** Input a command cannot use; its message says what and where. */
export class InputError extends Error {}

export type Loaded = { ok: true; text: string } | { ok: false; message: string };

export function readInput(file: string): Loaded {
  try {
    if (statSync(file).isDirectory()) return { ok: false, message: `${file}: is a directory, not a scenario file` };
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    return { ok: false, message: `${file}: cannot read: ${reason}` };
  }
}

/** `file:line:column: path: message`, one line per problem. */
export function problemLines(file: string, problems: readonly InputProblem[]): string[] {
  return problems.map((p) => `${file}${p.position ? `:${p.position.line}:${p.position.column}` : ''}: ${p.path === '(yaml)' ? '' : `${p.path}: `}${p.message}`);
}

/** Writes the output to standard output, or to `out`. */
export function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (error) {
    throw new InputError(`${out}: cannot write: ${(error as Error).message}`);
  }
}

/**
 * JSON for the output: indented like JSON.stringify(value, null, 2), but an array of numbers
 * (a time series) on one line, so a year of daily samples stays readable. Key order is the
 * objects' own, so equal values give equal bytes.
 */
export function formatJson(value: unknown): string {
  return `${jsonText(value, '')}\n`;
}

function jsonText(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v === 'number')) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${jsonText(v === undefined ? null : v, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonText(v, inner)}`).join(',\n')}\n${indent}}`;
}
