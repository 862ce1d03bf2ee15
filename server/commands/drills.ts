import { drillOnState } from '../../simulator/drill-state.js';
import { FAIL_KINDS } from '../../simulator/drill-setup.js';
import { badValue } from '../errors.js';
import { defineCommand, ROOT_ADMIN_ONLY } from '../registry/command.js';
import { param } from '../registry/params.js';
import { drillView } from '../views/drill.js';

/**
 * runDrill, a cloudplane extension (CloudStack has no such API): fail a host, cluster, pod, zone,
 * primary storage pool or the management server in a copy of the cloud as it is now, let the
 * simulator play out the failure, its repair and HA's restarts, and report the impact. The served
 * cloud is not changed. Synchronous: the simulation runs in virtual time, so a small cloud answers
 * at once, while a very large one keeps the server busy for a while (admins only).
 */

const DAY_MINUTES = 24 * 60;

export const runDrill = defineCommand({
  name: 'runDrill',
  description: 'cloudplane extension: what the failure of a host, cluster, pod, zone, primary storage pool or the management server would do to the cloud as it is now (VMs affected, restarted by HA, stranded), simulated on a copy of the current state, which is left unchanged.',
  isAsync: false,
  since: 'cloudplane 0.1',
  related: 'listHosts,listClusters,listPods,listZones,listStoragePools',
  params: {
    targettype: param.choice('what fails: host, cluster, pod, zone, storage (a primary storage pool) or management', FAIL_KINDS, { required: true }),
    targetid: param.uuid('the ID of the host, cluster, pod, zone or storage pool that fails (none for management)'),
    repairminutes: param.integer('how long the failure lasts, in minutes (default: host 120, cluster 60, pod 60, zone 120, storage 30, management 15)'),
    seed: param.integer('the seed of the simulated drivers\' latencies (default 0): the same seed on the same cloud gives the same answer'),
  },
  responseObject: 'drill',
  response: drillView.fields,
  roles: ROOT_ADMIN_ONLY,
  handle(call, p) {
    if (p.targettype === 'management' && p.targetid !== undefined) throw badValue('A management server drill takes no targetid: the management plane stops as a whole');
    if (p.targettype !== 'management' && p.targetid === undefined) throw badValue(`Unable to run the drill: targetid is needed for targettype ${p.targettype}`);
    if (p.repairminutes !== undefined && (p.repairminutes < 1 || p.repairminutes > DAY_MINUTES)) throw badValue(`repairminutes must be from 1 to ${DAY_MINUTES}`);
    const state = call.state;
    const id = p.targetid;
    if (id !== undefined) {
      const known = p.targettype === 'host' ? state.hosts.has(id) : p.targettype === 'cluster' ? state.clusters.has(id) : p.targettype === 'pod' ? state.pods.has(id) : p.targettype === 'zone' ? state.zones.has(id) : state.storagePools.has(id);
      if (!known) throw badValue(`Unable to find ${p.targettype === 'storage' ? 'storage pool' : p.targettype} with id ${id}`);
    }
    const result = drillOnState(state, {
      kind: p.targettype,
      ...(id === undefined ? {} : { target: id }),
      seed: p.seed ?? 0,
      nowMs: call.runtime.nowMs(),
      ...(p.repairminutes === undefined ? {} : { repairMs: p.repairminutes * 60_000 }),
    });
    if (!result.ok) throw badValue(`Unable to run the drill: ${result.message}`);
    return { kind: 'object', object: drillView.render(result.drill, call.view()) };
  },
});
