/**
 * A small view layer: elements from a tag, attributes and children; tables from columns; forms
 * that show CloudStack's error text where the user looks. No framework: a view is a function that
 * builds its elements again when its data changes.
 */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type AttrValue = string | number | boolean | undefined | ((event: Event) => void);

/** `h('button', { class: 'primary', onclick: go }, 'Go')`. Attributes named on… are listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else parent.appendChild(typeof child === 'object' ? (child as Node) : document.createTextNode(String(child)));
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A chart: the SVG string of a viz/charts function (its text is escaped there), as an element. */
export function chart(svg: string, label: string): HTMLElement {
  const box = h('figure', { class: 'chart', 'aria-label': label });
  box.innerHTML = svg;
  return box;
}

export interface Column<T> {
  title: string;
  cell: (row: T) => Child;
  /** Numbers line up on the right. */
  numeric?: boolean;
}

export function table<T>(columns: readonly Column<T>[], rows: readonly T[], empty: string, testId?: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', 'data-testid': testId }, empty);
  return h(
    'table',
    { class: 'grid', 'data-testid': testId },
    h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.numeric ? 'num' : undefined }, c.title)))),
    h('tbody', null, rows.map((row) => h('tr', null, columns.map((c) => h('td', { class: c.numeric ? 'num' : undefined }, c.cell(row)))))),
  );
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}

/** A state word as a coloured badge: Running green, Stopped grey, Error red, anything moving amber. */
export function badge(state: string | undefined): HTMLElement {
  const word = state ?? 'unknown';
  const tone = /^(running|up|enabled|ready|allocated|implemented|setup|active)$/i.test(word) ? 'ok' : /^(error|down|disconnected|alert|destroyed|expunging|disabled)$/i.test(word) ? 'bad' : /^(stopped|free|released|allocating|maintenance)$/i.test(word) ? 'idle' : 'busy';
  return h('span', { class: `badge ${tone}` }, word);
}

/** A share as a thin bar and its percentage. */
export function meter(used: number, total: number): HTMLElement {
  const share = total > 0 ? used / total : 0;
  const percent = Math.round(share * 1000) / 10;
  const tone = share > 0.85 ? 'bad' : share > 0.75 ? 'warn' : 'ok';
  return h('span', { class: 'meter', title: `${used} of ${total}` }, h('span', { class: `fill ${tone}`, style: `width:${Math.min(100, percent)}%` }), h('span', { class: 'label' }, `${percent}%`));
}

export interface Option {
  value: string;
  label: string;
}

export type Field =
  | { kind: 'text' | 'password' | 'number'; name: string; label: string; required?: boolean; value?: string; placeholder?: string; hint?: string }
  | { kind: 'select'; name: string; label: string; options: readonly Option[]; required?: boolean; value?: string; hint?: string };

export interface FormOptions {
  title?: string;
  fields: readonly Field[];
  submit: string;
  testId?: string;
  /** Does the work; a thrown error's message is shown under the form. Returns what to say on success. */
  onSubmit: (values: Record<string, string>) => Promise<string | undefined>;
}

/** A form whose submit button waits for the work, and which says how it went: CloudStack's error text, or done. */
export function form(options: FormOptions): HTMLFormElement {
  const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, options.submit);
  const element = h(
    'form',
    { class: 'form', 'data-testid': options.testId, novalidate: true },
    options.title === undefined ? null : h('h3', null, options.title),
    options.fields.map((f) => fieldElement(f)),
    h('div', { class: 'actions' }, button),
    status,
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const f of options.fields) {
      const input = element.elements.namedItem(f.name) as HTMLInputElement | HTMLSelectElement | null;
      const value = input?.value.trim() ?? '';
      if (f.required && value === '') missing.push(f.label);
      values[f.name] = value;
    }
    if (missing.length > 0) {
      showStatus(status, 'error', `Please fill in: ${missing.join(', ')}.`);
      return;
    }
    button.disabled = true;
    showStatus(status, 'busy', 'Working…');
    options
      .onSubmit(values)
      .then((done) => showStatus(status, 'ok', done ?? 'Done.'))
      .catch((error: unknown) => showStatus(status, 'error', messageOf(error)))
      .finally(() => {
        button.disabled = false;
      });
  });
  return element;
}

/** Labels point at their inputs by id; several forms may have a field of the same name. */
let fieldsMade = 0;

function fieldElement(f: Field): HTMLElement {
  const id = `f-${f.name}-${++fieldsMade}`;
  const input =
    f.kind === 'select'
      ? h('select', { id, name: f.name, required: f.required }, f.options.map((o) => h('option', { value: o.value, selected: o.value === f.value }, o.label)))
      : h('input', { id, name: f.name, type: f.kind, required: f.required, value: f.value, placeholder: f.placeholder, autocomplete: f.kind === 'password' ? 'current-password' : 'off' });
  return h('div', { class: 'field' }, h('label', { for: id }, f.label, f.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), input, f.hint === undefined ? null : h('small', null, f.hint));
}

export function showStatus(element: HTMLElement, tone: 'ok' | 'error' | 'busy', text: string): void {
  element.className = `form-status ${tone}`;
  element.setAttribute('role', tone === 'error' ? 'alert' : 'status');
  element.textContent = text;
}

/** What a user reads about a failure: CloudStack's errortext for API errors, a plain sentence otherwise. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure of a whole view: said in place of the view, never as a stack trace. */
export function errorBox(error: unknown): HTMLElement {
  return h('div', { class: 'error-box', role: 'alert' }, messageOf(error));
}
