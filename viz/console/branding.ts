/**
 * The branding the server was started with (`cloudplane serve --branding FILE`), read from
 * /console/branding.json: the product name, a logo and three colours, applied as CSS variables.
 * The shape is server/console.ts's Branding; the defaults here are used when it cannot be read.
 */

export interface Branding {
  productName: string;
  logo?: string;
  colours: { primary: string; accent: string; headerText: string };
}

const FALLBACK: Branding = { productName: 'cloudplane', colours: { primary: '#1f3a5f', accent: '#2b6cb0', headerText: '#ffffff' } };

export async function loadBranding(): Promise<Branding> {
  try {
    const response = await fetch('/console/branding.json', { credentials: 'same-origin' });
    if (!response.ok) return FALLBACK;
    return (await response.json()) as Branding;
  } catch {
    return FALLBACK;
  }
}

export function applyBranding(branding: Branding): void {
  const root = document.documentElement.style;
  root.setProperty('--brand-primary', branding.colours.primary);
  root.setProperty('--brand-accent', branding.colours.accent);
  root.setProperty('--brand-header-text', branding.colours.headerText);
  document.title = branding.productName;
}
