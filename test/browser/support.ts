/**
 * What the browser tests share: `cloudplane serve` as users start it (the built CLI in a child
 * process, on a free loopback port, with the simulated hosts answering at once), Debian's
 * Chromium driven by playwright-core, and the folder screenshots go to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'test-output', 'browser');
const CHROMIUM = '/usr/bin/chromium';

export interface RunningServer {
  /** The console: http://127.0.0.1:port/ */
  url: string;
  apiUrl: string;
  admin: { password: string; apiKey: string; secretKey: string };
  stop(): Promise<void>;
}

/** Starts `cloudplane serve` on a fresh database and resolves once it prints its instructions. */
export async function startServer(extraArgs: string[] = []): Promise<RunningServer> {
  const cli = join(ROOT, 'dist', 'cli', 'main.js');
  if (!existsSync(join(ROOT, 'dist', 'console', 'app.js'))) throw new Error('the console is not built: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'cloudplane-browser-'));
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--port', '0', '--db', join(dir, 'cloud.db'), '--drivers', 'immediate', '--scenario', join(ROOT, 'scenarios', 'small-deployment.yaml'), ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('stop with Ctrl-C\n')) resolve(output);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready:\n${output}`)));
  });
  const valueOf = (label: string): string => new RegExp(`${label}\\s+(\\S+)`).exec(printed)![1]!;
  const apiUrl = /listening on (http:\/\/\S+\/client\/api)/.exec(printed)![1]!;
  return {
    url: apiUrl.replace(/client\/api$/, ''),
    apiUrl,
    admin: { password: valueOf('password'), apiKey: valueOf('API key'), secretKey: valueOf('secret key') },
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser tests drive Debian's Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/services does)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}
