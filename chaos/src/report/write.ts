import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html/page.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { RunReport } from './model.js';

/** Writes report.json, junit.xml and report.html into `dir` (created if missing); returns their paths. */
export function writeReports(dir: string, report: RunReport): { json: string; junit: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { json: join(dir, 'report.json'), junit: join(dir, 'junit.xml'), html: join(dir, 'report.html') };
  writeFileSync(paths.json, renderJson(report));
  writeFileSync(paths.junit, renderJunit(report));
  writeFileSync(paths.html, renderHtml(report));
  return paths;
}
