import type { Verdict } from '../history/index.js';
import { escapeXml as x } from './escape.js';
import { runTitle, type RunReport, type ScenarioRun } from './model.js';

/**
 * `junit.xml`: one testsuite per scenario × source, one testcase per checker verdict (per
 * sink). An invalid verdict is a <failure>, an unknown one an <error> (the checker could not
 * judge), each with the summary as message and counts and examples as text.
 */
export function renderJunit(report: RunReport): string {
  const suites = report.runs.map(suite);
  const total = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  const seconds = ((report.finishedAt - report.startedAt) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(report.title ?? 'tidemark-chaos')}" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" time="${seconds}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(run: ScenarioRun): { xml: string; tests: number; failures: number; errors: number } {
  const cases = run.verdicts.map((v) => testcase(run, v));
  if (run.error !== undefined) cases.push(`    <testcase classname="${x(className(run))}" name="harness" time="0">\n      <error message="${x(firstLine(run.error))}" type="harness">${x(run.error)}</error>\n    </testcase>`);
  if (cases.length === 0) cases.push(`    <testcase classname="${x(className(run))}" name="verdicts" time="0">\n      <error message="no checker produced a verdict" type="harness"/>\n    </testcase>`);
  const failures = run.verdicts.filter((v) => v.validity === 'invalid').length;
  const errors = run.verdicts.filter((v) => v.validity === 'unknown').length + (run.error !== undefined || run.verdicts.length === 0 ? 1 : 0);
  const props = [['source', run.source], ['seed', run.seed === undefined ? undefined : String(run.seed)], ['sinks', run.sinks.join(',')]].filter((p): p is [string, string] => p[1] !== undefined);
  const xml = [
    `  <testsuite name="${x(runTitle(run))}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(run.durationMs / 1000).toFixed(3)}" timestamp="${new Date(run.startedAt).toISOString()}">`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property name="${x(name)}" value="${x(value)}"/>`),
    '    </properties>',
    ...cases,
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors };
}

function testcase(run: ScenarioRun, v: Verdict): string {
  const open = `    <testcase classname="${x(className(run))}" name="${x(v.sink ? `${v.checker} [${v.sink}]` : v.checker)}" time="0">`;
  if (v.validity === 'valid') return `${open}\n      <system-out>${x(`${v.summary}\n${countsLine(v)}`)}</system-out>\n    </testcase>`;
  const tag = v.validity === 'invalid' ? 'failure' : 'error';
  return `${open}\n      <${tag} message="${x(v.summary)}" type="${v.validity}">${x(details(v))}</${tag}>\n    </testcase>`;
}

/** Summary, counts and one JSON line per example: what a CI log needs to act. */
function details(v: Verdict): string {
  return [v.summary, countsLine(v), ...v.examples.map((e, i) => `example ${i + 1}: ${JSON.stringify(e)}`)].join('\n');
}

function countsLine(v: Verdict): string {
  const entries = Object.entries(v.counts);
  return entries.length > 0 ? `counts: ${entries.map(([k, n]) => `${k}=${n}`).join(' ')}` : 'counts: none';
}

function className(run: ScenarioRun): string {
  return `chaos.${run.scenario}.${run.source}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
