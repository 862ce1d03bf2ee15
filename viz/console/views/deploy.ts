import { type Obj, str } from '../api.js';
import type { ConsoleView, ViewContext } from '../context.js';
import { badge, h, messageOf, replaceChildren, section, showStatus } from '../dom.js';
import { addressesOf } from './instances.js';

/**
 * The deploy wizard: zone, template, service offering, network, name; then deployVirtualMachine
 * and queryAsyncJobResult until the job ends, and the new instance with its state and addresses
 * (or CloudStack's reason it could not be deployed).
 */

interface Choice {
  id: string;
  label: string;
  detail: string;
}

interface Step {
  key: 'zoneid' | 'templateid' | 'serviceofferingid' | 'networkid';
  title: string;
  load: (chosen: Readonly<Record<string, string>>) => Promise<Choice[]>;
  /** May be left empty (the cloud picks: the account's default network). */
  optional?: string;
}

function steps(ctx: ViewContext): Step[] {
  const { api } = ctx;
  return [
    {
      key: 'zoneid',
      title: 'Zone',
      load: async () => (await api.list('listZones', 'zone', { available: true })).map((z) => ({ id: str(z.id), label: str(z.name), detail: `${str(z.networktype)} zone` })),
    },
    {
      key: 'templateid',
      title: 'Template',
      load: async (c) => (await api.list('listTemplates', 'template', { templatefilter: 'executable', zoneid: c.zoneid })).filter((t) => t.isready !== false).map((t) => ({ id: str(t.id), label: str(t.name), detail: `${str(t.ostypename) || str(t.displaytext)} · ${str(t.hypervisor)}` })),
    },
    {
      key: 'serviceofferingid',
      title: 'Service offering',
      load: async () => (await api.list('listServiceOfferings', 'serviceoffering')).map((o) => ({ id: str(o.id), label: str(o.name), detail: `${str(o.cpunumber)} × ${str(o.cpuspeed)} MHz, ${str(o.memory)} MiB${o.offerha === true ? ', HA' : ''}` })),
    },
    {
      key: 'networkid',
      title: 'Network',
      optional: 'The account’s default network (created when it has none)',
      load: async (c) => (await api.list('listNetworks', 'network', { zoneid: c.zoneid, canusefordeploy: true })).map((n) => ({ id: str(n.id), label: str(n.name), detail: `${str(n.type)} · ${str(n.cidr)} · ${str(n.state)}` })),
    },
  ];
}

export const deployView: ConsoleView = {
  route: 'deploy',
  title: 'Deploy an instance',
  adminOnly: false,
  async render(ctx) {
    const all = steps(ctx);
    const chosen: Record<string, string> = {};
    const labels: Record<string, string> = {};
    const body = h('div', { class: 'wizard', 'data-testid': 'deploy-wizard' });
    const progress = h('ol', { class: 'steps' }, [...all.map((s) => s.title), 'Name and deploy'].map((t) => h('li', null, t)));
    const mark = (index: number): void => {
      progress.querySelectorAll('li').forEach((li, i) => {
        li.classList.toggle('current', i === index);
        li.classList.toggle('done', i < index);
      });
    };

    const showStep = async (index: number): Promise<void> => {
      mark(index);
      if (index === all.length) return showReview();
      const step = all[index]!;
      replaceChildren(body, h('p', { class: 'loading' }, 'Loading…'));
      let choices: Choice[];
      try {
        choices = await step.load(chosen);
      } catch (error) {
        replaceChildren(body, h('p', { class: 'form-status error', role: 'alert' }, messageOf(error)), back(index));
        return;
      }
      const name = `step-${step.key}`;
      const options = [...(step.optional === undefined ? [] : [{ id: '', label: step.optional, detail: '' }]), ...choices];
      if (options.length === 0) {
        replaceChildren(body, h('p', { class: 'form-status error', role: 'alert' }, `There is no ${step.title.toLowerCase()} to choose from here.`), back(index));
        return;
      }
      const current = chosen[step.key] ?? options[0]!.id;
      const list = h(
        'fieldset',
        { class: 'choices' },
        h('legend', null, `Choose the ${step.title.toLowerCase()}`),
        options.map((o) => h('label', { class: 'choice' }, h('input', { type: 'radio', name, value: o.id, checked: o.id === current }), h('span', { class: 'choice-label' }, o.label), h('small', null, o.detail))),
      );
      const next = h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => {
            const picked = list.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
            if (!picked) return;
            chosen[step.key] = picked.value;
            labels[step.key] = options.find((o) => o.id === picked.value)?.label ?? '';
            void showStep(index + 1);
          },
        },
        'Next',
      );
      replaceChildren(body, list, h('div', { class: 'actions' }, index > 0 ? back(index) : null, next));
    };

    const back = (index: number): HTMLElement => h('button', { type: 'button', class: 'secondary', onclick: () => void showStep(Math.max(0, index - 1)) }, 'Back');

    const showReview = (): void => {
      const nameInput = h('input', { id: 'vm-name', name: 'name', type: 'text', placeholder: 'web-1', autocomplete: 'off' });
      const status = h('p', { class: 'form-status', role: 'status', 'aria-live': 'polite' });
      const result = h('div', { class: 'deploy-result', 'data-testid': 'deploy-result' });
      const deploy = h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: () => {
            const name = nameInput.value.trim();
            if (name !== '' && !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(name)) {
              showStatus(status, 'error', 'A name starts with a letter and has only letters, digits and hyphens (at most 63).');
              return;
            }
            deploy.disabled = true;
            showStatus(status, 'busy', 'Deploying…');
            ctx.api
              .job('deployVirtualMachine', { zoneid: chosen.zoneid, templateid: chosen.templateid, serviceofferingid: chosen.serviceofferingid, networkids: chosen.networkid === '' ? undefined : chosen.networkid, name: name === '' ? undefined : name }, (text) => showStatus(status, 'busy', `Deploying: ${text}`))
              .then((jobResult) => {
                const vm = (jobResult.virtualmachine as Obj | undefined) ?? {};
                showStatus(status, 'ok', `${str(vm.name)} is ${str(vm.state)}.`);
                replaceChildren(
                  result,
                  h('dl', { class: 'facts' }, h('dt', null, 'Name'), h('dd', { 'data-testid': 'deployed-name' }, str(vm.name)), h('dt', null, 'State'), h('dd', { 'data-testid': 'deployed-state' }, badge(str(vm.state))), h('dt', null, 'IP address'), h('dd', { 'data-testid': 'deployed-ip' }, addressesOf(vm))),
                  h('button', { type: 'button', class: 'secondary', onclick: () => ctx.navigate('instances') }, 'See my instances'),
                );
              })
              .catch((error: unknown) => {
                showStatus(status, 'error', `The instance could not be deployed: ${messageOf(error)}`);
                deploy.disabled = false;
              });
          },
        },
        'Deploy',
      );
      replaceChildren(
        body,
        h('dl', { class: 'facts' }, all.map((s) => [h('dt', null, s.title), h('dd', null, labels[s.key] ?? '')])),
        h('div', { class: 'field' }, h('label', { for: 'vm-name' }, 'Name'), nameInput, h('small', null, 'Optional: the cloud names it otherwise.')),
        h('div', { class: 'actions' }, back(all.length), deploy),
        status,
        result,
      );
    };

    await showStep(0);
    return section('Deploy', progress, body);
  },
};
