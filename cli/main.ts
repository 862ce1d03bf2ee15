#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { planScenarioText, type PlanReport } from '../core/plan.js';
import { FINDING_CODES } from '../core/rules/codes.js';
import { planReportHtml } from '../viz/report/html.js';
import { HTML_FORMAT_HELP } from './format/html.js';
import { findingCodesMarkdown, formatPlanMarkdown } from './format/markdown.js';
import { findingLines, formatPlanText } from './format/text.js';
import { emit, EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, problemLines, readInput } from './input.js';
import { registerDrill } from './drill.js';
import { registerServe } from './serve.js';
import { registerSimulate } from './simulate.js';

/**
 * The `cloudplane` command. Exit codes: 0 done (no errors in the design), 1 the design has
 * errors (simulate: a resource runs out within the horizon), 2 an input could not be read or
 * parsed (or the command line is wrong).
 */

function validate(files: string[], options: { format: 'text' | 'json' }): number {
  let exit = EXIT_OK;
  const results: unknown[] = [];
  for (const file of files) {
    const loaded = readInput(file);
    if (!loaded.ok) {
      process.stderr.write(`${loaded.message}\n`);
      results.push({ file, readable: false, problems: [{ message: loaded.message }] });
      exit = EXIT_INPUT;
      continue;
    }
    const outcome = planScenarioText(loaded.text);
    if (!outcome.ok) {
      if (options.format === 'text') process.stderr.write(`${problemLines(file, outcome.problems).join('\n')}\n${file}: cannot be parsed (${outcome.problems.length} problem(s))\n`);
      results.push({ file, readable: true, parsed: false, problems: outcome.problems });
      exit = EXIT_INPUT;
      continue;
    }
    const { findings, summary } = outcome.report;
    if (summary.errors > 0 && exit === EXIT_OK) exit = EXIT_FINDINGS;
    if (options.format === 'json') {
      results.push({ file, readable: true, parsed: true, summary: { errors: summary.errors, warnings: summary.warnings, infos: summary.infos }, findings });
    } else {
      const lines = findings.filter((f) => f.code !== 'DEMAND_NOTHING_PLANNED').flatMap((f) => findingLines(file, f));
      process.stdout.write(`${lines.length > 0 ? `${lines.join('\n')}\n` : ''}${file}: ${summary.errors} error(s), ${summary.warnings} warning(s)\n`);
    }
  }
  if (options.format === 'json') process.stdout.write(`${JSON.stringify({ schemaVersion: 1, files: results }, null, 2)}\n`);
  return exit;
}

function plan(file: string, options: { format: PlanFormat; out?: string }): number {
  const loaded = readInput(file);
  if (!loaded.ok) throw new InputError(loaded.message);
  const outcome = planScenarioText(loaded.text);
  if (!outcome.ok) {
    process.stderr.write(`${problemLines(file, outcome.problems).join('\n')}\n${file}: cannot be parsed (${outcome.problems.length} problem(s))\n`);
    return EXIT_INPUT;
  }
  const report: PlanReport = outcome.report;
  const text =
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n`
    : options.format === 'markdown' ? formatPlanMarkdown(report, file)
    : options.format === 'html' ? planReportHtml(report, outcome.state, file)
    : formatPlanText(report, file);
  emit(text, options.out);
  if (options.out !== undefined) process.stderr.write(`wrote ${options.out}: ${report.summary.errors} error(s), ${report.summary.warnings} warning(s)\n`);
  return report.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

type PlanFormat = 'text' | 'json' | 'markdown' | 'html';

function codes(options: { format: 'text' | 'json' | 'markdown' }): number {
  const entries = Object.entries(FINDING_CODES) as [string, { severity: string; description: string }][];
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(entries.map(([code, d]) => ({ code, severity: d.severity, description: d.description })), null, 2)}\n`);
  } else if (options.format === 'markdown') {
    process.stdout.write(findingCodesMarkdown());
  } else {
    const width = Math.max(...entries.map(([code]) => code.length));
    for (const [code, d] of entries) process.stdout.write(`${code.padEnd(width)}  ${d.severity.padEnd(7)}  ${d.description}\n`);
  }
  return EXIT_OK;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('cloudplane')
    .description('Plan, simulate and run a CloudStack-model cloud from one deterministic core.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program
    .command('validate')
    .description('Check scenario files against the design rules; exit 0 clean, 1 errors found, 2 unreadable.')
    .argument('<files...>', 'scenario files (YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((files: string[], options: { format: 'text' | 'json' }) => setExit(validate(files, options)));
  program
    .command('plan')
    .description('Print the findings, the budgets and the recommendations of a scenario.')
    .argument('<file>', 'scenario file (YAML)')
    .addOption(new Option('--format <format>', HTML_FORMAT_HELP).choices(['text', 'json', 'markdown', 'html']).default('text'))
    .option('--out <path>', 'write the report to a file instead of standard output')
    .action((file: string, options: { format: PlanFormat; out?: string }) => setExit(plan(file, options)));
  program
    .command('codes')
    .description('List every finding code with its severity and meaning (codes are stable: gate CI on them).')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .action((options: { format: 'text' | 'json' | 'markdown' }) => setExit(codes(options)));
  registerSimulate(program, setExit);
  registerDrill(program, setExit);
  registerServe(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exit = EXIT_OK;
  const program = buildProgram((code) => {
    exit = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; anything else is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_INPUT;
    }
    if (error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_INPUT;
    }
    process.stderr.write(`cloudplane: internal error: ${(error as Error).message}\nThis is a bug; please report it with the command line and input that caused it.\n`);
    return 70;
  }
}

// A reader that goes away early (`cloudplane codes | head`) is not an error worth a trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`cloudplane: cannot write output: ${error.message}\n`);
  process.exit(EXIT_INPUT);
});

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
