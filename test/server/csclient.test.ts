/**
 * The same workflow driven by a real client: npm's csclient 0.6.4, unchanged. It discovers the
 * async commands with listApis, signs with its own qs encoding, pair sort and
 * signatureversion=3 expiry, sends everything by GET, and polls queryAsyncJobResult.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Served, serve } from './support.js';

type Obj = Record<string, unknown>;
type Callback = (error: (Error & { code?: number }) | null, response: Obj) => void;

interface CsClient {
  on(event: 'ready' | 'error', listener: (error?: Error) => void): void;
  execute(command: string, params: Obj, callback: Callback): void;
}

const CloudStackClient = createRequire(import.meta.url)('csclient') as new (options: Obj) => CsClient;

let cloud: Served;
let client: CsClient;

function execute(command: string, params: Obj = {}): Promise<Obj> {
  return new Promise((resolve, reject) => {
    client.execute(command, params, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

beforeAll(async () => {
  // csclient signs with an expiry five minutes after the real clock: the server's clock must agree.
  cloud = await serve({ startMs: Date.now() });
  // pollingTime 1 ms: the drivers answer at once, so the first poll finds the job done.
  client = new CloudStackClient({ apiKey: cloud.admin.apiKey, secretKey: cloud.admin.secretKey, baseUrl: `${cloud.url}?`, pollingTime: 1, singleExecutor: true });
  await new Promise<void>((resolve, reject) => {
    client.on('ready', () => resolve());
    client.on('error', (error) => reject(error));
  });
});

afterAll(async () => {
  await cloud.close();
});

describe('csclient', () => {
  it('deploys a VM, lists it, stops and destroys it', async () => {
    const zones = ((await execute('listZones')).listzonesresponse as Obj).zone as Obj[];
    const offerings = ((await execute('listServiceOfferings', { name: 'plain-4g' })).listserviceofferingsresponse as Obj).serviceoffering as Obj[];
    const templates = ((await execute('listTemplates', { templatefilter: 'executable' })).listtemplatesresponse as Obj).template as Obj[];
    // A map parameter too: csclient writes details[0].cpuNumber in its own bracket style.
    const deployed = (await execute('deployVirtualMachine', { zoneid: zones[0]!.id, serviceofferingid: offerings[0]!.id, templateid: templates[0]!.id, name: 'cs-1', displayname: 'web (one) ~*', details: [{ cpuNumber: '2' }] })) as Obj;
    expect(deployed).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobinstancetype: 'VirtualMachine' });
    const vm = (deployed.jobresult as Obj).virtualmachine as Obj;
    expect(vm).toMatchObject({ name: 'cs-1', state: 'Running' });
    const listed = (await execute('listVirtualMachines', { id: vm.id })).listvirtualmachinesresponse as Obj;
    expect(listed.count).toBe(1);
    const stopped = await execute('stopVirtualMachine', { id: vm.id });
    expect(((stopped.jobresult as Obj).virtualmachine as Obj).state).toBe('Stopped');
    const destroyed = await execute('destroyVirtualMachine', { id: vm.id, expunge: true });
    expect(((destroyed.jobresult as Obj).virtualmachine as Obj).state).toBe('Expunging');
    expect((await execute('listVirtualMachines')).listvirtualmachinesresponse).toEqual({});
  });

  it('gets CloudStack errors with their code and text', async () => {
    await expect(execute('listTemplates')).rejects.toMatchObject({ code: 431, message: 'Unable to execute API command listtemplates due to missing parameter templatefilter' });
    await expect(execute('startVirtualMachine', { id: 'no-such-vm' })).rejects.toMatchObject({ code: 431, message: 'Unable to find virtual machine with id no-such-vm' });
  });
});
