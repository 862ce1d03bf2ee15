/**
 * `cloudplane serve` as a child process, for tests that must treat the server as a black box:
 * kill it, restart it, drive it with clients in other languages. Runs the built command
 * (dist/cli/main.js, which `npm test` builds first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  keys: { apiKey: string; secretKey: string; password: string };
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush or close anything. */
  kill(): Promise<void>;
}

export interface ServeProcessOptions {
  db: string;
  scenario?: string;
  drivers?: 'simulated' | 'immediate';
  adminKeys?: string;
}

/** Starts `cloudplane serve --port 0` and waits until it listens. */
export async function startServe(options: ServeProcessOptions): Promise<ServeProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
  const args = [MAIN, 'serve', '--db', options.db, '--port', '0', '--drivers', options.drivers ?? 'immediate'];
  if (options.scenario) args.push('--scenario', options.scenario);
  if (options.adminKeys) args.push('--admin-keys', options.adminKeys);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cloudplane serve did not start within 30 s:\n${output}`)), 30_000);
    const look = (): void => {
      // The credentials are written after the address is printed; the last line comes after both.
      const match = /listening on (\S+)/.exec(output);
      if (match && output.includes('stop with Ctrl-C')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cloudplane serve exited with ${code} before listening:\n${output}`));
    });
  });
  const keysFile = options.adminKeys ?? `${options.db}.admin-keys`;
  const text = readFileSync(keysFile, 'utf8');
  const field = (name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1] ?? '';
  return {
    child,
    url,
    keys: { apiKey: field('apikey'), secretKey: field('secretkey'), password: field('password') },
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
