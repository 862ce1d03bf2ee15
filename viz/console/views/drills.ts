import { type DrillFailureImpact, drillImpactChart } from '../../charts/drill.js';
import { num, type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { chart, type Child, form, h, section, showStatus, table } from '../dom.js';

/**
 * Drills and what-ifs on the cloud as it is: runDrill (a cloudplane extension) fails a target in
 * a copy of the current state and answers what HA did. Every drill of this visit is kept, so the
 * chart compares them; "every host in turn" runs one drill per host that is Up (an n-1 what-if).
 */

const TARGET_TYPES = [
  { value: 'host', label: 'Host', list: 'listHosts', key: 'host', params: { type: 'Routing' } },
  { value: 'cluster', label: 'Cluster', list: 'listClusters', key: 'cluster', params: {} },
  { value: 'pod', label: 'Pod', list: 'listPods', key: 'pod', params: {} },
  { value: 'zone', label: 'Zone', list: 'listZones', key: 'zone', params: {} },
  { value: 'storage', label: 'Primary storage pool', list: 'listStoragePools', key: 'storagepool', params: {} },
] as const;

/** The drills run since the console was opened, oldest first (kept across views, not across reloads). */
const history: Obj[] = [];

function impactOf(drill: Obj): DrillFailureImpact {
  return {
    label: str(drill.label),
    vmsAffected: num(drill.vmsaffected),
    restarted: ((drill.restarted as Obj[] | undefined) ?? []).length,
    stranded: ((drill.stranded as Obj[] | undefined) ?? []).length,
    downWithoutHa: ((drill.downwithoutha as Obj[] | undefined) ?? []).length,
  };
}

function details(drill: Obj): HTMLElement {
  const restarted = (drill.restarted as Obj[] | undefined) ?? [];
  const down = [...((drill.stranded as Obj[] | undefined) ?? []).map((d) => ({ ...d, verdict: 'stranded' })), ...((drill.downwithoutha as Obj[] | undefined) ?? []).map((d) => ({ ...d, verdict: 'down without HA' }))];
  const recover = drill.timetorecoverseconds === undefined ? 'nothing to restart' : `${Math.round(num(drill.timetorecoverseconds) / 60)} min to recover`;
  const others = [num(drill.destroyed) > 0 ? `${num(drill.destroyed)} destroyed or expunged before they ran again` : '', num(drill.replaced) > 0 ? `${num(drill.replaced)} system VM(s) replaced by their manager` : '', num(drill.pending) > 0 ? `${num(drill.pending)} still on their way` : ''].filter((part) => part !== '');
  const summary: Child = `${str(drill.label)}: ${num(drill.vmsaffected)} VM(s) affected, ${restarted.length} restarted, ${((drill.stranded as Obj[] | undefined) ?? []).length} stranded${others.length > 0 ? `, ${others.join(', ')}` : ''}; ${recover}; failure lasted ${num(drill.repairminutes)} min${drill.settled === true ? '' : '; the cloud had not settled an hour after the repair'}.`;
  return h(
    'div',
    { class: 'drill-details', 'data-testid': 'drill-details' },
    h('p', null, summary),
    table<Obj>(
      [
        { title: 'Restarted VM', cell: (r) => str(r.virtualmachinename) },
        { title: 'Kind', cell: (r) => str(r.kind) },
        { title: 'From', cell: (r) => str(r.fromhost) },
        { title: 'To', cell: (r) => str(r.tohost) },
        { title: 'Running at', cell: (r) => str(r.runningat) },
      ],
      restarted,
      'HA restarted nothing.',
    ),
    table<Obj>(
      [
        { title: 'VM left down', cell: (r) => str(r.virtualmachinename) },
        { title: 'Verdict', cell: (r) => str(r.verdict) },
        { title: 'State', cell: (r) => str(r.state) },
        { title: 'Reason', cell: (r) => str(r.reason) },
      ],
      down,
      'No VM was left down.',
    ),
  );
}

export const drillsView: ConsoleView = {
  route: 'drills',
  title: 'Drills and what-ifs',
  adminOnly: true,
  async render({ api, refresh }) {
    const targets = await Promise.all(TARGET_TYPES.map(async (t) => ({ type: t.value, items: await api.list(t.list, t.key, t.params) })));
    const options = [
      ...targets.flatMap((t) => t.items.map((item) => ({ value: `${t.type}:${str(item.id)}`, label: `${TARGET_TYPES.find((x) => x.value === t.type)!.label} ${str(item.name)}` }))),
      { value: 'management:', label: 'The management server' },
    ];
    const run = form({
      title: 'Fail one target',
      testId: 'run-drill',
      submit: 'Run drill',
      fields: [
        { kind: 'select', name: 'target', label: 'What fails', options, required: true },
        { kind: 'number', name: 'repairminutes', label: 'Repaired after (minutes)', placeholder: 'the default for its kind', hint: 'Host 120, cluster, pod 60, zone 120, storage 30, management 15.' },
      ],
      async onSubmit(v) {
        const [targettype, targetid] = (v.target ?? '').split(':');
        const drill = (await api.call('runDrill', { targettype, targetid: targetid === '' ? undefined : targetid, repairminutes: v.repairminutes })).drill as Obj;
        history.push(drill);
        refresh(`Drill done: ${str(drill.label)}.`);
        return 'Done.';
      },
    });
    const everyHost = h('p', { class: 'form-status', role: 'status' });
    const hosts = targets.find((t) => t.type === 'host')?.items.filter((item) => item.state === 'Up') ?? [];
    const sweep = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          sweep.disabled = true;
          void (async () => {
            try {
              for (const [i, host] of hosts.entries()) {
                showStatus(everyHost, 'busy', `Host ${i + 1} of ${hosts.length}: ${str(host.name)}…`);
                history.push((await api.call('runDrill', { targettype: 'host', targetid: str(host.id) })).drill as Obj);
              }
              refresh(`The loss of each of ${hosts.length} host(s) was drilled.`);
            } catch (error) {
              showStatus(everyHost, 'error', error instanceof Error ? error.message : String(error));
              sweep.disabled = false;
            }
          })();
        },
      },
      `Every host in turn (${hosts.length})`,
    );
    const latest = history[history.length - 1];
    return h(
      'div',
      null,
      h('div', { class: 'two-columns' }, section('Impact', chart(drillImpactChart({ failures: history.map(impactOf), emptyReason: 'No drill yet: choose a target and run one. The cloud itself is never changed.' }), 'drill impact')), h('div', { class: 'forms' }, h('div', { class: 'form-box' }, run), h('div', { class: 'form-box' }, h('h3', null, 'What if any one host fails?'), h('p', null, 'One drill per host that is Up, each on the cloud as it is now.'), sweep, everyHost))),
      latest === undefined ? null : section('The latest drill', details(latest)),
    );
  },
};
