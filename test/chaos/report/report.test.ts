import { describe, expect, it } from 'vitest';
import { lineChart, renderHtml, renderJson, renderJunit, runPassed, summaryLine } from '../../../chaos/src/report/index.js';
import { escapeXml } from '../../../chaos/src/report/escape.js';
import { niceStep, ticks } from '../../../chaos/src/report/html/scale.js';
import { faultWindows, lagSeries, throughputSeries } from '../../../chaos/src/report/html/series.js';
import { failedRun, harnessErrorRun, passedRun, report } from './fixture.js';

describe('run model', () => {
  it('a run passes only when judged and every verdict is valid', () => {
    expect(runPassed(passedRun)).toBe(true);
    expect(runPassed(failedRun)).toBe(false);
    expect(runPassed(harnessErrorRun)).toBe(false);
    expect(runPassed({ ...passedRun, verdicts: [] })).toBe(false);
    expect(runPassed({ ...passedRun, verdicts: [{ ...passedRun.verdicts[0]!, validity: 'unknown' }] })).toBe(false);
  });

  it('summary line counts scenario × source runs', () => {
    expect(summaryLine(report)).toBe('1 passed, 2 failed');
    expect(summaryLine({ ...report, runs: [] })).toBe('0 passed, 0 failed');
  });
});

describe('report.json', () => {
  it('is the model plus per-run passed and the totals', () => {
    const json = JSON.parse(renderJson(report));
    expect(json.summary).toEqual({ passed: 1, failed: 2 });
    expect(json.runs.map((r: { passed: boolean }) => r.passed)).toEqual([true, false, false]);
    expect(json.runs[1].verdicts[2].examples[0].versions).toEqual(['3u', '2u']);
    expect(json.runs[0].timeline).toHaveLength(61);
  });
});

describe('junit.xml', () => {
  const xml = renderJunit(report);

  it('has one testcase per scenario × source × checker verdict, with totals', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="Tidemark chaos report" tests="7" failures="1" errors="2" time="200.000">/);
    expect(xml.match(/<testsuite /g)).toHaveLength(3);
    expect(xml.match(/<testcase /g)).toHaveLength(7);
    expect(xml).toContain('<testsuite name="network-partition (postgres)" tests="4" failures="1" errors="1" time="60.000" timestamp="2025-01-02T03:04:05.000Z">');
    expect(xml).toContain('<testcase classname="chaos.network-partition.postgres" name="reordered [redis]" time="0">');
  });

  it('carries summary and examples in failures, escaped, without invalid XML characters', () => {
    expect(xml).toContain('<failure message="1 versions arrived after a newer version of the same key" type="invalid">');
    expect(xml).toContain('example 1: {&quot;table&quot;:&quot;accounts&quot;,&quot;key&quot;:&quot;{\\&quot;id\\&quot;:1}&quot;');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
    expect(xml).toContain('<error message="the run recorded no catch-up facts for sink &quot;nats&quot;" type="unknown">');
    expect(xml).toContain('<testcase classname="chaos.crash-recovery.mysql" name="harness" time="0">\n      <error message="setup failed: kafka did not start" type="harness">');
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    expect(escapeXml(`a\u0007b<c>&"d'\u0000`)).toBe('a\uFFFDb&lt;c&gt;&amp;&quot;d&#39;\uFFFD');
    expect(escapeXml('tab\tnew\nline')).toBe('tab\tnew\nline');
  });

  it('balances every element it opens', () => {
    for (const tag of ['testsuites', 'testsuite', 'testcase', 'properties', 'failure', 'error', 'system-out']) {
      const opened = (xml.match(new RegExp(`<${tag}[ >]`, 'g')) ?? []).length - (xml.match(new RegExp(`<${tag}[^>]*/>`, 'g')) ?? []).length;
      expect((xml.match(new RegExp(`</${tag}>`, 'g')) ?? []).length, tag).toBe(opened);
    }
  });
});

describe('report.html', () => {
  const html = renderHtml(report);

  it('is self-contained: no scripts, stylesheets, images or URLs to fetch', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('<style>');
  });

  it('shows the summary, one section per run with verdicts, faults and two charts', () => {
    expect(html).toContain('<p class="summary-line">1 passed, 2 failed</p>');
    expect(html.match(/<section class="run"/g)).toHaveLength(3);
    expect(html.match(/data-chart="throughput"/g)).toHaveLength(3);
    expect(html.match(/data-chart="lag"/g)).toHaveLength(3);
    expect(html).toContain('<span class="badge invalid">invalid</span>');
    expect(html).toContain('&lt;script&gt;alert(\\&quot;x\\&quot;)&lt;/script&gt;');
    expect(html).toContain('harness error: setup failed: kafka did not start');
    expect(html).toContain('scenario YAML (re-run with it)');
  });

  it('shades and labels every fault window', () => {
    const section = html.split('<section class="run"')[2]!;
    expect(section.match(/class="fault-window"/g)).toHaveLength(2 * 4);
    for (const label of ['partition kafka', 'latency source', 'kill-engine engine', 'binlog-purge source']) expect(section).toContain(`>${label}</text>`);
  });
});

describe('chart pieces', () => {
  it('derives events/s from cumulative samples', () => {
    const [written, kafka, redis] = throughputSeries(passedRun);
    expect(written!.points[0]).toEqual([1, 50]);
    expect(kafka!.points[20]![1]).toBe(0);
    expect(redis!.points[45]![1]).toBe(0);
  });

  it('breaks the lag line where lag is unknown', () => {
    const [, redis] = lagSeries(passedRun);
    expect(redis!.points[40]).toEqual([40, null]);
    const svg = lineChart({ id: 'lag', title: 't', xLabel: 'x', yLabel: 'y', series: [redis!], windows: [] });
    expect(svg.match(/M/g)!.length).toBeGreaterThanOrEqual(1);
    expect(svg).toMatch(/<path class="series" data-series="redis" d="M[^"]*L[^"]*"/);
  });

  it('places windows in seconds since the run started; an unhealed one runs to the end', () => {
    expect(faultWindows(failedRun).map((w) => [w.from, w.to])).toEqual([[20, 30], [21, 26], [40, 43], [45, 45]]);
    expect(faultWindows({ ...passedRun, faults: [{ kind: 'partition', target: 'kafka', at: passedRun.startedAt + 5000, until: null }] })).toEqual([{ from: 5, to: 60, label: 'partition kafka' }]);
  });

  it('draws an empty chart without paths', () => {
    const svg = lineChart({ id: 'x', title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', color: '#000', points: [] }], windows: [] });
    expect(svg).toContain('no samples');
    expect(svg).not.toContain('<path');
  });

  it('picks nice ticks', () => {
    expect(niceStep(100)).toBe(20);
    expect(niceStep(7)).toBe(2);
    expect(ticks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(ticks(0)).toEqual([0]);
  });
});
