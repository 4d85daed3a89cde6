import { describe, expect, it } from 'vitest';
import { REPORT_CSP, escapeHtml, renderReportHtml, scriptJson, thinCurve } from './render-report.ts';
import { sampleReportInput } from '../../../test/helpers/sample-report-input.ts';

const assets = { chartJs: '/* chart */', clientScript: '/* client */', css: '/* css */' };

describe('escaping', () => {
  it('escapes HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps JSON from closing its script element and round-trips', () => {
    const value = { name: '</script><script>alert(1)</script>', line: '\u2028', x: Number.NaN };
    const text = scriptJson(value);
    expect(text).not.toContain('</script');
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual({ name: value.name, line: '\u2028', x: null });
  });
});

describe('renderReportHtml', () => {
  const input = sampleReportInput(120, 3);

  it('is one document with the CSP, the data and every asset inline', () => {
    const html = renderReportHtml(input, assets);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).toContain('<script>/* chart */</script>');
    expect(html).toContain('<script type="application/json" id="report-data">');
    expect(html.match(/<canvas /g)).toHaveLength(input.model.labels.length + 3);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('prints the summary figures in the tables', () => {
    const html = renderReportHtml(input, assets);
    const nodule = input.summary.perLabel.nodule!;
    expect(html).toContain(`<div class="value">${input.summary.macroAuc.toFixed(3)}</div>`);
    expect(html).toContain(`<td>${nodule.auc.toFixed(3)}</td><td>${nodule.aucCi95[0].toFixed(3)} – ${nodule.aucCi95[1].toFixed(3)}</td>`);
    expect(html).toContain(`>${nodule.confusion.tp}<small>`);
  });

  it('escapes untrusted text such as file names', () => {
    const hostile = { ...input, examples: input.examples.map((e) => ({ ...e, name: '<img src=x onerror=alert(1)>.dcm' })) };
    const html = renderReportHtml(hostile, assets);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.dcm');
    expect(html).not.toContain('<img src=x');
  });

  it('refuses images that are not PNG data URLs', () => {
    const remote = { ...input, examples: [{ ...input.examples[0]!, image: 'https://example.org/x.png' }] };
    expect(() => renderReportHtml(remote, assets)).toThrow('Expected report images as PNG data URLs, but got "https://example.org/x.png…".');
  });
});

describe('thinCurve', () => {
  it('keeps short curves and thins long ones evenly, ends included', () => {
    expect(thinCurve({ fpr: [0, 0.5, 1], tpr: [0, 1, 1] }, 5)).toEqual({ fpr: [0, 0.5, 1], tpr: [0, 1, 1] });
    // 11 points down to 3: indices round(k · 10 / 2) = 0, 5, 10.
    const fpr = Array.from({ length: 11 }, (_, i) => i / 10);
    expect(thinCurve({ fpr, tpr: fpr }, 3)).toEqual({ fpr: [0, 0.5, 1], tpr: [0, 0.5, 1] });
  });
});
