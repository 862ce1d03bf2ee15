import type { Api } from './api.js';
import type { Branding } from './branding.js';

/** What a view is given: the API client, the branding, and a way to draw itself again. */
export interface ViewContext {
  api: Api;
  branding: Branding;
  /** Renders the current view again (after a change it made), with a line saying what happened. */
  refresh(notice?: string): void;
  navigate(route: string): void;
}

export interface ConsoleView {
  route: string;
  title: string;
  /** Root admins only (infrastructure, capacity, accounts, drills). */
  adminOnly: boolean;
  render(ctx: ViewContext): Promise<Node>;
}
