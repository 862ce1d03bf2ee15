import type { ConsoleView } from '../context.js';
import { accountsView } from './accounts.js';
import { activityView } from './activity.js';
import { dashboardView } from './dashboard.js';
import { deployView } from './deploy.js';
import { drillsView } from './drills.js';
import { infrastructureView } from './infrastructure.js';
import { instancesView } from './instances.js';
import { ipUsageView } from './ip-usage.js';
import { networksView } from './networks.js';
import { publicIpsView } from './public-ips.js';

/** Every view, in the order of the navigation; the first one a caller may see is the start page. */
export const VIEWS: readonly ConsoleView[] = [dashboardView, infrastructureView, ipUsageView, activityView, accountsView, drillsView, instancesView, deployView, networksView, publicIpsView];
