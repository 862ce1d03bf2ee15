/**
 * The web console in a real browser against a real `cloudplane serve`: an admin logs in on the
 * branded login page, sees the capacity charts, adds a host through the form (and reads
 * CloudStack's error text when the address is wrong) and finds it in the tree, then drills the
 * loss of a host; a user created through the API logs in, deploys an instance through the wizard
 * and sees it Running with its address, forwards a port to it, stops it and logs out, after which
 * its old session key leads back to the login page. Screenshots of each
 * stage land in test-output/browser/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignedClient } from '../server/support.js';
import { launchBrowser, type RunningServer, SCREENSHOTS, startServer } from './support.js';

let server: RunningServer;
let browser: Browser;
let brandingDir: string;
/** Script errors of every page: a failure of the console even when the page still shows something. */
const scriptErrors: string[] = [];

beforeAll(async () => {
  brandingDir = mkdtempSync(join(tmpdir(), 'cloudplane-branding-'));
  const branding = join(brandingDir, 'branding.yaml');
  writeFileSync(branding, 'productName: Acme Cloud\ncolours:\n  primary: "#5a2d82"\n  accent: "#d53f8c"\n');
  browser = await launchBrowser();
  server = await startServer(['--branding', branding]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(brandingDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(scriptErrors.splice(0)).toEqual([]);
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => scriptErrors.push(error.message));
  // The browser also logs every refused API call as a failed load; the tests make some on purpose.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) scriptErrors.push(message.text());
  });
  return page;
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(server.url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByTestId('who').textContent()).toContain(username);
}

describe('the web console', () => {
  it('lets an admin log in, see the capacity charts, add a host and find it in the tree, and drill its loss', async () => {
    const page = await newPage();
    await page.goto(server.url);
    expect(await page.getByTestId('product-name').textContent()).toBe('Acme Cloud');
    expect(await page.title()).toBe('Acme Cloud');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Failed to authenticate user admin in domain ROOT; please provide valid credentials');
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });

    await logIn(page, 'admin', server.admin.password);
    // Evaluated in the page as text: the tests are compiled without the DOM's types.
    expect(await page.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")).toBe('rgb(90, 45, 130)');
    const capacity = page.locator('figure.chart svg.chart-capacity');
    await capacity.waitFor();
    expect(await capacity.textContent()).toContain('zone1 / pod1 / cluster1');
    expect(await capacity.locator('rect').count()).toBeGreaterThan(3);
    expect(await page.getByTestId('zone-capacity').textContent()).toContain('Public IPs');
    await page.screenshot({ path: join(SCREENSHOTS, 'dashboard.png'), fullPage: true });

    await page.getByRole('link', { name: 'Infrastructure' }).click();
    await page.getByTestId('infra-tree').waitFor();
    expect(await page.getByTestId('host-kvm01').textContent()).toContain('192.168.10.100');
    const addHost = page.getByTestId('add-host');
    await page.locator('summary', { hasText: 'Add a host' }).click();
    await addHost.getByLabel('Cluster').selectOption({ label: 'zone1 / pod1 / cluster1' });
    await addHost.getByLabel('Host address').fill('http://192.168.10.300');
    await addHost.getByRole('button', { name: 'Add host' }).click();
    await expect.poll(() => addHost.getByRole('alert').textContent()).toBe('Unable to add the host: Cannot find the server resources at http://192.168.10.300');
    await addHost.getByLabel('Host address').fill('http://192.168.10.101');
    await addHost.getByRole('button', { name: 'Add host' }).click();
    const added = page.getByTestId('host-192.168.10.101');
    await added.waitFor();
    expect(await added.textContent()).toContain('Up');
    expect(await page.getByTestId('cluster-cluster1').locator('[data-testid^="host-"]').count()).toBe(2);
    expect(await page.getByTestId('notice').textContent()).toBe('Host 192.168.10.101 was added to cluster cluster1.');
    await page.screenshot({ path: join(SCREENSHOTS, 'infrastructure.png'), fullPage: true });

    await page.getByRole('link', { name: 'Drills and what-ifs' }).click();
    const drill = page.getByTestId('run-drill');
    await drill.getByLabel('What fails').selectOption({ label: 'Host kvm01' });
    await drill.getByRole('button', { name: 'Run drill' }).click();
    const details = page.getByTestId('drill-details');
    await details.waitFor();
    expect(await details.textContent()).toMatch(/^host kvm01: \d+ VM\(s\) affected/);
    expect(await page.locator('figure.chart svg.chart-drill').textContent()).toContain('host kvm01');
    await page.screenshot({ path: join(SCREENSHOTS, 'drill.png'), fullPage: true });
    await page.context().close();
  });

  it('lets a user created through the API deploy an instance with the wizard and see it Running with its IP', async () => {
    const admin = new SignedClient(server.apiUrl, server.admin);
    await admin.ok('createAccount', { username: 'carol', password: 'carol-pw', email: 'carol@example.com', firstname: 'Carol', lastname: 'Tenant', account: 'carols', accounttype: '0' });
    const page = await newPage();
    await logIn(page, 'carol', 'carol-pw');
    expect(await page.getByRole('link', { name: 'Capacity' }).count()).toBe(0);
    expect(await page.getByTestId('instances').textContent()).toBe('No instances yet: deploy one.');

    await page.getByRole('button', { name: 'Deploy an instance' }).click();
    const wizard = page.getByTestId('deploy-wizard');
    await wizard.getByLabel('zone1').check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('rocky-9').check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('small').check();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByText('The account’s default network').waitFor();
    await wizard.getByRole('button', { name: 'Next' }).click();
    await wizard.getByLabel('Name').fill('web-1');
    await wizard.getByRole('button', { name: 'Deploy' }).click();
    await page.getByTestId('deployed-state').waitFor();
    expect(await page.getByTestId('deployed-name').textContent()).toBe('web-1');
    expect(await page.getByTestId('deployed-state').textContent()).toBe('Running');
    const ip = (await page.getByTestId('deployed-ip').textContent()) ?? '';
    expect(ip).toMatch(/^10\.1\.1\.\d+$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'deployed-instance.png'), fullPage: true });

    await wizard.getByRole('button', { name: 'See my instances' }).click();
    const row = page.getByTestId('instances').locator('tr', { hasText: 'web-1' });
    expect(await row.textContent()).toContain('Running');
    expect(await row.locator('.ips').textContent()).toBe(ip);

    await page.getByRole('link', { name: 'Public IPs' }).click();
    const acquire = page.getByTestId('acquire-ip');
    await acquire.getByRole('button', { name: 'Acquire' }).click();
    // The view re-renders once the job finishes; fill the rule forms only after that, or they are replaced mid-typing.
    await page.getByTestId('notice').filter({ hasText: /was acquired\.$/ }).waitFor();
    const forward = page.getByTestId('add-port-forward');
    await forward.waitFor();
    await forward.getByLabel('To instance').selectOption({ label: 'web-1' });
    await forward.getByLabel('Public port').fill('2222');
    await forward.getByLabel('Private port').fill('22');
    await forward.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.getByTestId('port-forwards').textContent()).toContain(`web-1 (${ip}):22`);
    const firewall = page.getByTestId('add-firewall-rule');
    await firewall.getByLabel('First port').fill('2222');
    await firewall.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.getByTestId('firewall-rules').textContent()).toContain('0.0.0.0/0');
    await page.screenshot({ path: join(SCREENSHOTS, 'public-ips.png'), fullPage: true });

    await page.getByRole('link', { name: 'Instances' }).click();
    await page.getByTestId('instances').locator('tr', { hasText: 'web-1' }).getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByTestId('instances').locator('tr', { hasText: 'web-1' }).textContent()).toContain('Stopped');

    // Logging out ends the session on the server: a tab that still holds its key is sent back to the login page.
    const kept = await page.evaluate("sessionStorage.getItem('cloudplane.console.session')");
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByTestId('login-form').waitFor();
    await page.evaluate(`sessionStorage.setItem('cloudplane.console.session', ${JSON.stringify(kept)})`);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    expect(await page.locator('.notice').textContent()).toBe('Your session has ended. Please log in again.');
    await page.context().close();
  });
});
