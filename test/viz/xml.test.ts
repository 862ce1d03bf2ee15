import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../viz/charts/svg.js';
import { svgTexts, wellFormedProblems } from './xml.js';

describe('the well-formedness check the chart tests rely on', () => {
  it('passes balanced, escaped markup and skips a style sheet', () => {
    expect(wellFormedProblems(`<svg x="1"><g><text>${escapeXml('a < b & "c"')}</text></g><rect/></svg>`)).toEqual([]);
    expect(wellFormedProblems('<html><head><meta charset="utf-8"><style>a > b { }</style></head></html>', new Set(['meta']))).toEqual([]);
  });

  it('fails on a tag closed out of order, an unclosed tag, a bare < and an unescaped &', () => {
    expect(wellFormedProblems('<svg><g></svg>')).toEqual(['</svg> closes <g> at offset 8', 'unclosed: svg']);
    expect(wellFormedProblems('<svg><text>a < b</text></svg>')[0]).toMatch(/^bare < or malformed tag/);
    expect(wellFormedProblems('<svg><text>R&D</text></svg>')[0]).toMatch(/^unescaped &/);
    expect(wellFormedProblems('<svg><rect x=1/></svg>').length).toBeGreaterThan(0);
  });

  it('reads texts back unescaped', () => {
    expect(svgTexts(`<text x="1">${escapeXml("kvm <a> & 'b'")}</text>`)).toEqual(["kvm <a> & 'b'"]);
  });
});
