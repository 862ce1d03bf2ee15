import type { ClusterShortfall, DownVm, RestartedVm } from '../../simulator/impact.js';
import type { StateDrillResult } from '../../simulator/drill-state.js';
import { formatDate } from '../http/respond.js';
import { defineView, field, nested } from './view.js';

/**
 * runDrill's answer (a cloudplane extension): what the failure of one target would do to the
 * cloud as it is now, from the simulator's impact tracker. Field names follow CloudStack's
 * style (lower case, no separators); amounts carry their unit last.
 */

const restartedView = defineView<RestartedVm>([
  field('virtualmachineid', 'string', 'the VM restarted by HA', (r) => r.vmId),
  field('virtualmachinename', 'string', 'its name', (r) => r.vm),
  field('kind', 'string', 'User, DomainRouter, ConsoleProxy or SecondaryStorageVm', (r) => r.kind),
  field('fromhost', 'string', 'the host it ran on when the failure struck', (r) => r.fromHost),
  field('tohost', 'string', 'the host HA restarted it on', (r) => r.toHost),
  field('runningat', 'date', 'when it was Running again', (r) => formatDate(r.runningAtMs)),
]);

const downView = defineView<DownVm>([
  field('virtualmachineid', 'string', 'the VM left down', (d) => d.vmId),
  field('virtualmachinename', 'string', 'its name', (d) => d.vm),
  field('kind', 'string', 'User, DomainRouter, ConsoleProxy or SecondaryStorageVm', (d) => d.kind),
  field('state', 'string', 'its state at the end of the drill', (d) => d.state),
  field('reason', 'string', "the core's reason it stayed down", (d) => d.reason),
  field('cluster', 'string', 'the cluster it ran in', (d) => d.cluster),
  field('cpumhz', 'long', 'the CPU it asks for, in MHz', (d) => d.cpuMhz),
  field('memorymib', 'long', 'the memory it asks for, in MiB', (d) => d.memoryMiB),
]);

const shortfallView = defineView<ClusterShortfall>([
  field('cluster', 'string', 'the cluster that lacked room', (s) => s.cluster),
  field('cpumhz', 'long', 'the allocatable CPU it lacked, in MHz', (s) => s.cpuMhz),
  field('memorymib', 'long', 'the allocatable memory it lacked, in MiB', (s) => s.memoryMiB),
  field('vms', 'integer', 'the stranded HA VMs that asked for it', (s) => s.vms),
]);

export const drillView = defineView<StateDrillResult>([
  field('label', 'string', 'what failed, in words ("host kvm01")', (d) => d.impact.label),
  field('targettype', 'string', 'host, cluster, pod, zone, storage or management', (d) => d.kind),
  field('targetid', 'string', 'the ID of what failed', (d) => d.targetId),
  field('targetname', 'string', 'the name of what failed', (d) => d.target),
  field('failedat', 'date', 'when the failure struck (the current time of the cloud)', (d) => formatDate(d.atMs)),
  field('repairminutes', 'integer', 'how long the failure lasted', (d) => Math.round(d.repairMs / 60_000)),
  field('vmsaffected', 'integer', 'VMs (user and system) on what failed when it failed', (d) => d.impact.vmsAffected),
  nested('restarted', 'the VMs HA restarted, and where', restartedView, (d) => d.impact.restarted),
  nested('stranded', 'the HA VMs left down, with the reason', downView, (d) => d.impact.stranded),
  nested('downwithoutha', 'the VMs without HA that went down by design', downView, (d) => d.impact.downWithoutHa),
  nested('shortfall', 'per cluster, the capacity its stranded VMs lacked', shortfallView, (d) => d.impact.shortfall),
  field('destroyed', 'integer', 'affected VMs destroyed before they ran again', (d) => d.impact.destroyed),
  field('replaced', 'integer', 'secondary storage VMs and console proxies their manager could not start, destroyed and built anew', (d) => d.impact.replaced.length),
  field('pending', 'integer', 'affected VMs still on their way at the end of the drill', (d) => d.impact.pending),
  field('timetorecoverseconds', 'long', 'from the failure to the last HA restart running; absent when nothing restarted', (d) => (d.impact.timeToRecoverMs === null ? undefined : Math.round(d.impact.timeToRecoverMs / 1000))),
  field('settled', 'boolean', 'whether the cloud settled within an hour of the repair', (d) => d.settledAtMs !== null),
]);
