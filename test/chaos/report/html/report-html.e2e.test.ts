/// <reference lib="dom" />
/**
 * Opens a rendered report.html in headless Chromium (Debian's `chromium`, driven by
 * playwright-core) and checks that the page is self-contained and that its charts drew: lines
 * for the series and shaded rectangles for the fault windows. Saves a screenshot.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../../../chaos/src/report/index.js';
import { report } from '../fixture.js';

const CHROMIUM = process.env.TIDEMARK_CHROMIUM ?? '/usr/bin/chromium';

describe('report.html in Chromium', () => {
  let dir: string;
  let browser: BrowserContext;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (setup does this)`);
    dir = mkdtempSync(join(tmpdir(), 'tidemark-report-html-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1600, height: 1200 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders the charts from nothing but the file, and screenshots', async () => {
    const { html, junit } = writeReports(join(dir, 'out'), report);
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await page.goto(pathToFileURL(html).href);

    // Nothing but the file itself was fetched: no CDN, no fonts, no images.
    expect(requested).toEqual([pathToFileURL(html).href]);
    expect(await page.locator('.summary-line').textContent()).toBe('1 passed, 2 failed');

    const throughput = page.locator('svg[data-chart="throughput"]');
    const lag = page.locator('svg[data-chart="lag"]');
    expect(await throughput.count()).toBe(3);
    expect(await lag.count()).toBe(3);

    // The failed run's charts: one line per series, with real extent, and four shaded windows.
    const run = page.locator('#run-1');
    const lines = await run.locator('svg[data-chart="throughput"] path.series').evaluateAll((paths) => paths.map((p) => ({ name: p.getAttribute('data-series'), length: (p as SVGPathElement).getTotalLength(), box: (p as SVGPathElement).getBBox().width })));
    expect(lines.map((l) => l.name)).toEqual(['written', 'delivered: kafka', 'delivered: redis']);
    for (const l of lines) {
      expect(l.length).toBeGreaterThan(100);
      expect(l.box).toBeGreaterThan(300);
    }
    expect(await run.locator('svg[data-chart="lag"] path.series').count()).toBe(2);
    const windows = await run.locator('svg[data-chart="throughput"] rect.fault-window').evaluateAll((rects) => rects.map((r) => ({ width: (r as SVGRectElement).getBBox().width, fill: getComputedStyle(r).fill })));
    expect(windows).toHaveLength(4);
    for (const w of windows) {
      expect(w.width).toBeGreaterThanOrEqual(2);
      expect(w.fill).toMatch(/^rgba\(207, 34, 46, 0\.12\)$/);
    }
    expect(await run.locator('svg[data-chart="throughput"] text.fault-label').allTextContents()).toEqual(['partition kafka', 'latency source', 'kill-engine engine', 'binlog-purge source']);
    expect(await run.locator('tr.verdict.invalid').count()).toBe(1);

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(20_000);

    // The browser's XML parser accepts junit.xml.
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return { error: doc.querySelector('parsererror')?.textContent ?? null, cases: doc.querySelectorAll('testcase').length, failures: doc.querySelectorAll('failure').length };
    }, readFileSync(junit, 'utf8'));
    expect(parsed).toEqual({ error: null, cases: 7, failures: 1 });
    await page.close();
  }, 60_000);
});
