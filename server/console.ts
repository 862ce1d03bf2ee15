import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';

/**
 * The web console: a single-page app bundled at build time (scripts/bundle-console.mjs writes
 * dist/console/), served at `/` with its script and style under `/console/`, and the branding
 * it reads at start from `/console/branding.json`. Everything is local (no CDN, no web fonts), so
 * the console works on a machine without internet. The console talks to `/client/api` with a
 * login session, like any other client: the server gives it nothing else.
 */

export interface Branding {
  productName: string;
  /** An image for the header: a URL path, an http(s) URL or a `data:image/…` URI. */
  logo?: string;
  colours: BrandColours;
}

export interface BrandColours {
  /** The header bar, buttons and chart accents. */
  primary: string;
  /** The current navigation entry and links. */
  accent: string;
  /** Text on the primary colour. */
  headerText: string;
}

export const DEFAULT_BRANDING: Branding = {
  productName: 'cloudplane',
  colours: { primary: '#1f3a5f', accent: '#2b6cb0', headerText: '#ffffff' },
};

const colour = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour is #rgb or #rrggbb');
// A script URL or an arbitrary page would be a way to run code in the console: only images.
const logo = z.string().regex(/^(?:\/(?!\/)|https?:\/\/|data:image\/[a-z0-9.+-]+[;,])/i, 'the logo is a URL path (/img/logo.svg), an http(s) URL or a data:image/… URI');

const brandingFile = z
  .object({
    productName: z.string().trim().min(1, 'productName must not be empty').max(60, 'productName is at most 60 characters').optional(),
    logo: logo.optional(),
    colours: z.object({ primary: colour.optional(), accent: colour.optional(), headerText: colour.optional() }).strict().optional(),
  })
  .strict();

/** A branding file (YAML or JSON): every problem with its path, or the branding over the defaults. */
export function parseBranding(text: string): { ok: true; branding: Branding } | { ok: false; problems: string[] } {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [`not YAML: ${(error as Error).message}`] };
  }
  const parsed = brandingFile.safeParse(data ?? {});
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`) };
  const given = parsed.data;
  return {
    ok: true,
    branding: {
      productName: given.productName ?? DEFAULT_BRANDING.productName,
      ...(given.logo === undefined ? {} : { logo: given.logo }),
      colours: { ...DEFAULT_BRANDING.colours, ...definedOnly(given.colours ?? {}) },
    },
  };
}

function definedOnly(colours: Partial<Record<keyof BrandColours, string | undefined>>): Partial<BrandColours> {
  return Object.fromEntries(Object.entries(colours).filter(([, value]) => value !== undefined));
}

export interface ConsoleOptions {
  /** Where the bundle is: index.html, app.js, app.css (dist/console). */
  dir: string;
  branding: Branding;
}

/** The console's routes; a missing bundle is said at `/` rather than failing the server. */
export function mountConsole(app: Express, options: ConsoleOptions): void {
  const index = join(options.dir, 'index.html');
  const brandingJson = JSON.stringify(options.branding);
  const logoOrigin = options.branding.logo !== undefined && /^https?:\/\//i.test(options.branding.logo) ? ` ${new URL(options.branding.logo).origin}` : '';
  const securityHeaders = (res: Response): void => {
    // Charts are SVG strings with presentation attributes, put in place as markup: inline styles stay allowed.
    res.setHeader('Content-Security-Policy', `default-src 'self'; img-src 'self' data:${logoOrigin}; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };
  app.get('/', (_req: Request, res: Response) => {
    if (!existsSync(index)) {
      res.status(404).type('text/plain').send(`The web console is not built (${index} is missing): run npm run build. The API is at /client/api\n`);
      return;
    }
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index, { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
  });
  app.get('/console/branding.json', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/json').send(brandingJson);
  });
  app.use(
    '/console',
    express.static(options.dir, {
      index: false,
      // The bundle's names do not change between builds: the browser asks again, and gets 304 when nothing changed.
      cacheControl: true,
      maxAge: 0,
      setHeaders: (res) => securityHeaders(res as unknown as Response),
    }),
  );
}
