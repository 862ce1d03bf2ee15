import { type Obj, str } from '../api.js';
import type { ConsoleView } from '../context.js';
import { badge, h, section, table } from '../dom.js';

/** Alerts (capacity thresholds, hosts down) and the event log (who did what), newest first. */

const SHOWN = 200;

export const activityView: ConsoleView = {
  route: 'alerts',
  title: 'Alerts and events',
  adminOnly: true,
  async render({ api }) {
    const [alerts, events] = await Promise.all([api.call('listAlerts', { pagesize: SHOWN, page: 1 }), api.call('listEvents', { listall: true, pagesize: SHOWN, page: 1 })]);
    const alertRows = (alerts.alert as Obj[] | undefined) ?? [];
    const eventRows = (events.event as Obj[] | undefined) ?? [];
    return h(
      'div',
      null,
      section(
        `Alerts (${str(alerts.count ?? 0)})`,
        table<Obj>(
          [
            { title: 'Sent', cell: (a) => str(a.sent) },
            { title: 'Type', cell: (a) => str(a.name) || str(a.type) },
            { title: 'Description', cell: (a) => str(a.description) },
          ],
          alertRows,
          'No alerts.',
          'alerts',
        ),
      ),
      section(
        `Events (${str(events.count ?? 0)}${eventRows.length < Number(events.count ?? 0) ? `, the latest ${eventRows.length} shown` : ''})`,
        table<Obj>(
          [
            { title: 'Created', cell: (e) => str(e.created) },
            { title: 'Level', cell: (e) => badge(str(e.level) === 'ERROR' ? 'Error' : str(e.level)) },
            { title: 'Type', cell: (e) => str(e.type) },
            { title: 'Description', cell: (e) => str(e.description) },
            { title: 'Account', cell: (e) => `${str(e.account)} (${str(e.username)})` },
          ],
          eventRows,
          'No events.',
          'events',
        ),
      ),
    );
  },
};
