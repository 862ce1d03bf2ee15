import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * Reads the source tree and reports what the architecture forbids: imports that point up or
 * across the layers, and clock, randomness, timers, environment or I/O inside core/. The source
 * is parsed with the TypeScript compiler, so words in comments and strings never count.
 */

export const LAYERS = ['core', 'simulator', 'live-drivers', 'viz', 'server', 'cli', 'bench'] as const;
export type Layer = (typeof LAYERS)[number];

/** Which layers each layer may import. Arrows point one way only. */
export const ALLOWED_IMPORTS: Readonly<Record<Layer, readonly Layer[]>> = {
  core: [],
  simulator: ['core'],
  'live-drivers': ['core'],
  viz: ['core', 'simulator'],
  server: ['core', 'simulator', 'live-drivers', 'viz'],
  cli: ['core', 'simulator', 'live-drivers', 'viz', 'server'],
  bench: ['core', 'simulator', 'live-drivers', 'viz', 'server', 'cli'],
};

/** npm packages core/ may use: pure libraries with no I/O. */
export const CORE_PACKAGES: readonly string[] = ['ip-cidr', 'js-yaml', 'ts-pattern', 'yaml', 'zod'];

/**
 * Packages the charts and reports (viz/charts/, viz/report/) may use: d3's DOM-free modules. They
 * are pure functions to strings, so no DOM, no jsdom and no node:* I/O; the console sources
 * elsewhere in viz/ run in a browser and are not held to this list.
 */
export const VIZ_CHART_PACKAGES: readonly string[] = ['d3-array', 'd3-format', 'd3-hierarchy', 'd3-scale', 'd3-shape'];
const PURE_VIZ_FOLDERS: readonly string[] = ['viz/charts/', 'viz/report/'];

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export interface Violation {
  path: string;
  line: number;
  message: string;
}

const NODE_BUILTINS = new Set([
  'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'net', 'http', 'https', 'dgram', 'dns', 'worker_threads',
  'process', 'timers', 'timers/promises', 'url', 'util', 'stream', 'events', 'cluster', 'perf_hooks', 'readline', 'tls', 'zlib', 'v8', 'vm',
]);

const BANNED_CALLS: readonly { test: (node: ts.Node) => boolean; message: string }[] = [
  {
    test: (n) => ts.isPropertyAccessExpression(n) && n.expression.getText() === 'Math' && n.name.text === 'random',
    message: 'Math.random in core/: draw from the seeded ctx.rng (core/rng.ts SeededRng) so the seed reproduces the run',
  },
  {
    test: (n) => ts.isPropertyAccessExpression(n) && n.expression.getText() === 'Date' && n.name.text === 'now',
    message: 'Date.now in core/: take the time from ctx.nowMs (the Clock port in core/ports.ts)',
  },
  {
    test: (n) => ts.isNewExpression(n) && n.expression.getText() === 'Date',
    message: 'new Date( in core/: take the time from ctx.nowMs (the Clock port in core/ports.ts)',
  },
  {
    test: (n) => ts.isPropertyAccessExpression(n) && n.expression.getText() === 'performance' && n.name.text === 'now',
    message: 'performance.now in core/: take the time from ctx.nowMs (the Clock port in core/ports.ts)',
  },
  {
    test: (n) => ts.isIdentifier(n) && ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'].includes(n.text) && !isDeclarationName(n),
    message: 'timers in core/: schedule work through the simulator\'s event queue or the runtime, never from core',
  },
  {
    test: (n) => ts.isIdentifier(n) && n.text === 'process' && ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n,
    message: 'process.* in core/: pass configuration in as settings, commands or arguments (no environment, no exit)',
  },
  {
    test: (n) => ts.isCallExpression(n) && n.expression.getText() === 'require',
    message: 'require() in core/: core imports only pure modules with ESM imports',
  },
];

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isFunctionDeclaration(parent) || ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === node;
}

export function layerOf(path: string): Layer | undefined {
  const top = path.split('/')[0];
  return (LAYERS as readonly string[]).includes(top ?? '') ? (top as Layer) : undefined;
}

function resolveLayer(fromPath: string, specifier: string): Layer | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const parts = fromPath.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return layerOf(parts.join('/'));
}

function importMessage(path: string, layer: Layer, specifier: string, target: Layer | undefined): string | undefined {
  if (target !== undefined && target !== layer && !ALLOWED_IMPORTS[layer].includes(target)) {
    return `${layer}/ imports ${target}/ ("${specifier}"): ${layer}/ may import only ${ALLOWED_IMPORTS[layer].length > 0 ? ALLOWED_IMPORTS[layer].map((l) => `${l}/`).join(', ') : 'nothing of the other layers'}; move the shared piece down into ${ALLOWED_IMPORTS[layer][0] ?? 'core'}/ or invert the dependency with a port`;
  }
  if (PURE_VIZ_FOLDERS.some((folder) => path.startsWith(folder)) && !specifier.startsWith('.')) {
    const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    if (!VIZ_CHART_PACKAGES.includes(pkg)) {
      return `${path.split('/').slice(0, 2).join('/')}/ imports "${specifier}": charts and reports are pure functions to strings and may use only ${VIZ_CHART_PACKAGES.join(', ')} (no DOM, no jsdom, no I/O); read and write files in cli/`;
    }
  }
  if (layer !== 'core' || specifier.startsWith('.')) return undefined;
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(bare)) {
    return `core/ imports "${specifier}": core does no I/O; read files and talk to the system in cli/, server/ or live-drivers/ and pass the data in (or define a port in core/ports.ts)`;
  }
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  if (!CORE_PACKAGES.includes(pkg)) {
    return `core/ imports package "${pkg}": core may use only ${CORE_PACKAGES.join(', ')}; add a port in core/ports.ts and implement it in an outer layer`;
  }
  return undefined;
}

/** Checks a set of files; paths are relative to the repository root. */
export function checkTidy(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) continue;
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    const report = (node: ts.Node, message: string): void => {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      violations.push({ path: file.path, line: line + 1, message });
    };
    const visit = (node: ts.Node): void => {
      let specifier: string | undefined;
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        specifier = node.moduleSpecifier.text;
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
        specifier = node.arguments[0].text;
      }
      if (specifier !== undefined) {
        const message = importMessage(file.path, layer, specifier, resolveLayer(file.path, specifier));
        if (message) report(node, message);
      }
      if (layer === 'core') {
        for (const ban of BANNED_CALLS) if (ban.test(node)) report(node, ban.message);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return violations;
}

/** Every .ts file of the layer folders under `root`. */
export function readSourceTree(root: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  };
  for (const layer of LAYERS) {
    try {
      if (statSync(join(root, layer)).isDirectory()) walk(join(root, layer));
    } catch {
      // A layer folder that does not exist yet has nothing to check.
    }
  }
  return files;
}
