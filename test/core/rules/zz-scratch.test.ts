import { it } from 'vitest';
import { planScenario } from '../../../core/plan.js';
import { BASELINES } from '../../support/designs.js';
it('scratch', () => {
  for (const [name, make] of Object.entries(BASELINES)) {
    const { report } = planScenario(make());
    console.log(name, JSON.stringify(report.summary), report.findings.map((f) => `${f.severity} ${f.code} ${f.path}: ${f.message}`).join('\n'));
    for (const b of report.budgets) console.log(`  ${b.kind} ${b.scope} ${b.demand}/${b.supply} lim ${b.limit} ${b.status} ${JSON.stringify(b.breakdown)}`);
  }
});
