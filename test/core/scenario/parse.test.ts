/**
 * Scenario text that cannot be used: every problem located by line and column, in the words of
 * the file (keys and values), never a stack trace, and a bounded list when one mistake confuses
 * the parser for the rest of the file.
 */
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../../core/scenario/parse.js';

const minimal = (zoneLines: string): string => `version: 1
name: t
zones:
  - name: z
    networkType: Advanced
${zoneLines}`;

function problems(text: string) {
  const result = parseScenarioText(text);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems;
}

describe('parse problems', () => {
  it('locates malformed YAML', () => {
    const [first] = problems('version: 1\nname: x\nzones: [\n');
    expect(first!.position).toEqual({ line: 4, column: 1 });
  });

  it('names the key a typo probably meant, once', () => {
    const found = problems(minimal(`    pods:
      - name: p
        gatway: 10.0.0.1
        netmask: 255.255.255.0
        reservedRanges: [{ startIp: 10.0.0.2, endIp: 10.0.0.9 }]`));
    expect(found).toEqual([{ path: 'zones[0].pods[0].gatway', position: { line: 8, column: 9 }, message: 'unknown key "gatway" (did you mean "gateway"?)' }]);
  });

  it('explains a bad address, a bad CIDR and a wrong type where they are', () => {
    const found = problems(minimal(`    guestCidr: 10.0.0.0/33
    dns: [10.0.0.256]
    localStorage: "yes"`));
    expect(found.map((p) => `${p.position?.line}:${p.position?.column} ${p.path}: ${p.message}`)).toEqual([
      '6:16 zones[0].guestCidr: "10.0.0.0/33" is not a valid IPv4 CIDR (address/0-32)',
      '7:11 zones[0].dns[0]: "10.0.0.256" is not a valid IPv4 address',
      '8:19 zones[0].localStorage: expected true or false, got "yes"',
    ]);
  });

  it('says which version it takes', () => {
    const [first] = problems('version: 2\nname: t\nzones: [{ name: z, networkType: Basic }]\n');
    expect(first!.message).toBe('must be 1, got number 2');
  });

  it('stops listing after 25 problems and says how many more there are', () => {
    const zones = Array.from({ length: 40 }, (_, i) => `  - { name: z${i}, networkType: Nowhere }`).join('\n');
    const found = problems(`version: 1\nname: t\nzones:\n${zones}\n`);
    expect(found).toHaveLength(26);
    expect(found[25]!.message).toBe('… and 15 more problem(s); fix the first ones and check again');
  });

  it('refuses a document that is not a mapping', () => {
    expect(problems('- just\n- a list\n')[0]!.message).toContain('a scenario is a mapping');
  });
});
