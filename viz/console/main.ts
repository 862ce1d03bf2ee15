import { Api } from './api.js';
import { applyBranding, type Branding, loadBranding } from './branding.js';
import type { ConsoleView, ViewContext } from './context.js';
import { errorBox, form, h, replaceChildren } from './dom.js';
import { VIEWS } from './views/index.js';

/**
 * The console's entry: the branding first, then the login page or, with a session kept from
 * earlier in this tab, the shell (header, navigation, the current view). Views are chosen by the
 * URL's hash (#/instances), so the browser's back button and a reload keep the place.
 */

function brandMark(branding: Branding): HTMLElement {
  return h('span', { class: 'brand' }, branding.logo === undefined ? null : h('img', { src: branding.logo, alt: '', class: 'logo' }), h('span', { class: 'product', 'data-testid': 'product-name' }, branding.productName));
}

function boot(root: HTMLElement, branding: Branding): void {
  const api = new Api();
  let rendering = 0;

  const showLogin = (notice?: string): void => {
    const login = form({
      testId: 'login-form',
      fields: [
        { kind: 'text', name: 'username', label: 'Username', required: true },
        { kind: 'password', name: 'password', label: 'Password', required: true },
        { kind: 'text', name: 'domain', label: 'Domain', value: '/', hint: 'The domain path: / is ROOT, /sales a sub-domain.' },
      ],
      submit: 'Log in',
      async onSubmit(values) {
        await api.login(values.username ?? '', values.password ?? '', values.domain ?? '/');
        showShell();
        return undefined;
      },
    });
    replaceChildren(
      root,
      h('div', { class: 'login-page' }, h('div', { class: 'login-card' }, h('header', { class: 'login-head' }, brandMark(branding)), notice === undefined ? null : h('p', { class: 'notice', role: 'alert' }, notice), login)),
    );
    (login.elements.namedItem('username') as HTMLInputElement | null)?.focus();
  };

  api.onSessionLost = () => showLogin('Your session has ended. Please log in again.');

  const allowed = (): ConsoleView[] => VIEWS.filter((v) => !v.adminOnly || api.isAdmin);

  const showShell = (): void => {
    const session = api.session;
    if (!session) return showLogin();
    const nav = h('nav', { class: 'side', 'aria-label': 'Views' });
    const main = h('main', { class: 'view', id: 'view' });
    const logout = h('button', { class: 'link', type: 'button', onclick: () => void api.logout().finally(() => showLogin()) }, 'Log out');
    replaceChildren(
      root,
      h('header', { class: 'topbar' }, brandMark(branding), h('span', { class: 'who', 'data-testid': 'who' }, `${session.username} (${session.account}${api.isAdmin ? ', root admin' : ''})`, ' ', logout)),
      h('div', { class: 'layout' }, nav, main),
    );
    const groups: [string, ConsoleView[]][] = [
      ['Infrastructure', allowed().filter((v) => v.adminOnly)],
      ['Compute and network', allowed().filter((v) => !v.adminOnly)],
    ];
    for (const [title, views] of groups) {
      if (views.length === 0) continue;
      nav.append(h('h2', null, title), h('ul', null, views.map((v) => h('li', null, h('a', { href: `#/${v.route}`, 'data-route': v.route }, v.title)))));
    }
    const render = (notice?: string): void => {
      if (!api.session) return;
      const views = allowed();
      const route = location.hash.replace(/^#\/?/, '');
      const view = views.find((v) => v.route === route) ?? views[0]!;
      for (const link of nav.querySelectorAll('a')) link.classList.toggle('current', link.dataset.route === view.route);
      const mine = ++rendering;
      const context: ViewContext = { api, branding, refresh: render, navigate: (to) => (location.hash = `#/${to}`) };
      const banner = notice === undefined ? null : h('p', { class: 'notice ok', role: 'status', 'data-testid': 'notice' }, notice);
      // While a view loads again after a change, the old content stays: the page does not jump.
      if (notice === undefined) replaceChildren(main, h('h1', null, view.title), h('p', { class: 'loading' }, 'Loading…'));
      view
        .render(context)
        .then((content) => {
          if (mine === rendering) replaceChildren(main, h('h1', null, view.title), banner, content);
        })
        .catch((error: unknown) => {
          if (mine === rendering && api.session) replaceChildren(main, h('h1', null, view.title), errorBox(error));
        });
    };
    window.onhashchange = () => render();
    render();
  };

  if (api.session) showShell();
  else showLogin();
}

const root = document.getElementById('app');
if (root) {
  void loadBranding().then((branding) => {
    applyBranding(branding);
    boot(root, branding);
  });
}
