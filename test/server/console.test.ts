/**
 * The console's routes of `createApp`: index.html at `/`, the bundle under /console/ with its
 * content types and a content security policy that keeps everything local, the branding as JSON,
 * a plain sentence when the bundle was not built; and branding files read over the defaults.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { type ConsoleOptions, DEFAULT_BRANDING, parseBranding } from '../../server/console.js';
import { type Served, serve, TEST_PASSWORDS } from './support.js';

let cloud: Served | undefined;
let server: Server | undefined;
let dir: string | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await cloud?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = cloud = dir = undefined;
});

async function serveConsole(options: ConsoleOptions): Promise<string> {
  cloud = await serve();
  const app = createApp({ runtime: cloud.runtime, passwords: TEST_PASSWORDS, log: () => undefined, console: options });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function bundle(): string {
  dir = mkdtempSync(join(tmpdir(), 'cloudplane-console-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'app.js'), 'export {};');
  writeFileSync(join(dir, 'app.css'), 'body{}');
  return dir;
}

describe('the console routes', () => {
  it('serve index.html, the script and the style with their types, and the branding', async () => {
    const branding = { productName: 'Acme Cloud', logo: 'https://img.example.com/acme.svg', colours: { ...DEFAULT_BRANDING.colours, primary: '#5a2d82' } };
    const base = await serveConsole({ dir: bundle(), branding });
    const index = await fetch(`${base}/`);
    expect([index.status, index.headers.get('content-type'), await index.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>x</title>']);
    expect(index.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data: https://img.example.com; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
    expect((await fetch(`${base}/console/app.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${base}/console/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const served = await fetch(`${base}/console/branding.json`);
    expect([served.headers.get('content-type'), await served.json()]).toEqual(['application/json; charset=utf-8', branding]);
    const missing = await fetch(`${base}/console/nothing.js`);
    expect([missing.status, await missing.text()]).toEqual([404, 'Not found: the API is at /client/api\n']);
    expect((await fetch(`${base}/client/api?command=listZones&response=json`)).status).toBe(401);
  });

  it('say at / that the console is not built when the bundle is missing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudplane-console-'));
    const base = await serveConsole({ dir, branding: DEFAULT_BRANDING });
    const index = await fetch(`${base}/`);
    expect([index.status, await index.text()]).toEqual([404, `The web console is not built (${join(dir, 'index.html')} is missing): run npm run build. The API is at /client/api\n`]);
  });
});

describe('a branding file', () => {
  it('fills what it leaves out from the defaults', () => {
    expect(parseBranding('productName: Acme Cloud\ncolours:\n  accent: "#d53f8c"\n')).toEqual({ ok: true, branding: { productName: 'Acme Cloud', colours: { ...DEFAULT_BRANDING.colours, accent: '#d53f8c' } } });
    expect(parseBranding('logo: data:image/png;base64,iVBORw0KGgo=\n')).toEqual({ ok: true, branding: { ...DEFAULT_BRANDING, logo: 'data:image/png;base64,iVBORw0KGgo=' } });
    expect(parseBranding('')).toEqual({ ok: true, branding: DEFAULT_BRANDING });
  });

  it('is refused with every problem and its path', () => {
    expect(parseBranding('logo: //cdn.example.com/x.svg\ncolours: { headerText: "#12345" }\n')).toEqual({
      ok: false,
      problems: ['logo: the logo is a URL path (/img/logo.svg), an http(s) URL or a data:image/… URI', 'colours.headerText: a colour is #rgb or #rrggbb'],
    });
    expect(parseBranding('productName: [unclosed')).toMatchObject({ ok: false, problems: [expect.stringMatching(/^not YAML: /)] });
  });
});
