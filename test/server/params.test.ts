/**
 * Request parameters: query and form body merged with the first value winning, names matched
 * without case but kept as sent, form decoding, control characters refused with 431, map and
 * list parameters, and the typed parameter parsers with their CloudStack error texts.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../server/errors.js';
import { mapEntries, parseRequestParams } from '../../server/http/params.js';
import { param } from '../../server/registry/params.js';

function failure(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof ApiError) return `${error.errorCode}${error.csErrorCode === undefined ? '' : `/${error.csErrorCode}`} ${error.message}`;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('parseRequestParams', () => {
  it('merges the query and the body, the first value of a name winning', () => {
    const p = parseRequestParams('command=listZones&name=a&name=b', 'name=c&response=json');
    expect(p.byName.get('name')).toBe('a');
    expect(p.byName.get('response')).toBe('json');
    expect(p.received).toEqual([['command', 'listZones'], ['name', 'a'], ['response', 'json']]);
  });

  it('matches names without case and keeps them as sent, for the signature', () => {
    const p = parseRequestParams('apiKey=k&signatureVersion=3&Command=listZones', undefined);
    expect([p.byName.get('apikey'), p.byName.get('signatureversion'), p.byName.get('command')]).toEqual(['k', '3', 'listZones']);
    expect(p.received.map(([name]) => name)).toEqual(['apiKey', 'signatureVersion', 'Command']);
  });

  it('decodes with form rules: + is a space, UTF-8 percent escapes, no value is empty', () => {
    const p = parseRequestParams('displayname=web+server%20%C3%A9&flag', undefined);
    expect(p.byName.get('displayname')).toBe('web server é');
    expect(p.byName.get('flag')).toBe('');
  });

  it('refuses control characters in a value with 431, and broken escapes with 430', () => {
    expect(failure(() => parseRequestParams('name=a%0Ab', undefined))).toBe('431 Received value containing control characters for parameter name');
    expect(failure(() => parseRequestParams('name=a%7Fb', undefined))).toBe('431 Received value containing control characters for parameter name');
    expect(failure(() => parseRequestParams('name=%E0%A4%A', undefined))).toBe('430 malformed percent-encoding in "%E0%A4%A"');
  });

  it('reads map parameters in both styles, brackets percent-encoded or not, in index order', () => {
    const p = parseRequestParams('tags%5B1%5D.key=b&tags%5B1%5D.value=2&tags[0].key=a&tags[0].value=1&details[0].cpuNumber=2&Details[0].memory=1024', undefined);
    expect(mapEntries(p, 'tags')).toEqual([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
    expect(mapEntries(p, 'details')).toEqual([{ cpuNumber: '2', memory: '1024' }]);
    expect(mapEntries(p, 'other')).toEqual([]);
  });
});

describe('typed parameters', () => {
  const read = <T>(spec: { read: (input: { apiName: string; name: string; params: ReturnType<typeof parseRequestParams> }) => T }, query: string, name = 'x') =>
    spec.read({ apiName: 'listThings', name, params: parseRequestParams(query, undefined) });

  it('parse booleans in any case, integers, lists and maps', () => {
    expect(read(param.boolean('b'), 'x=TRUE')).toBe(true);
    expect(read(param.boolean('b'), 'x=false')).toBe(false);
    expect(read(param.integer('i'), 'x=-1')).toBe(-1);
    expect(read(param.long('l'), 'x=8589934592')).toBe(8589934592);
    expect(read(param.list('l'), 'x=a,b,,c')).toEqual(['a', 'b', 'c']);
    expect(read(param.map('m'), 'x[0].key=k&x[0].value=v')).toEqual([{ key: 'k', value: 'v' }]);
    expect(read(param.choice('c', ['Basic', 'Advanced'] as const), 'x=advanced')).toBe('Advanced');
    expect(read(param.date('d'), 'x=2026-03-01')).toBe(Date.UTC(2026, 2, 1));
    expect(read(param.uuid('u'), 'y=1')).toBeUndefined();
  });

  it('refuse malformed values with CloudStack\'s parameter error', () => {
    expect(failure(() => read(param.boolean('b'), 'x=yes'))).toBe('431/9999 Unable to execute API command listthings due to invalid value. Invalid parameter x value=yes due to a value that is neither true nor false');
    expect(failure(() => read(param.integer('i'), 'x=1.5'))).toBe('431/9999 Unable to execute API command listthings due to invalid value. Invalid parameter x value=1.5 due to incorrect integer value format');
    expect(failure(() => read(param.integer('i'), 'x=3000000000'))).toBe('431/9999 Unable to execute API command listthings due to invalid value. Invalid parameter x value=3000000000 due to a value outside the range of integer');
    expect(failure(() => read(param.choice('c', ['Basic', 'Advanced'] as const), 'x=Hybrid'))).toBe('431/9999 Unable to execute API command listthings due to invalid value. Invalid parameter x value=Hybrid due to a value that is not one of Basic, Advanced');
    expect(failure(() => read(param.string('s', { length: 4 }), 'x=abcdef'))).toBe('431/9999 Unable to execute API command listthings due to invalid value. Invalid parameter x value=abcdef... due to a length over 4 characters');
  });
});
