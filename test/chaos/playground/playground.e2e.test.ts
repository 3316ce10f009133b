/// <reference lib="dom" />
/**
 * The playground in a real browser (Debian's Chromium through playwright-core) against the real
 * server and the real native topology: the acceptance bullets, in order, on one server
 * (started with --host 0.0.0.0, so every request needs its token), then a SIGKILL and a restart.
 * Screenshots of each view go to out/e2e-playground/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants } from '../../support/processes.js';
import { collectStream, REPO, scenariosDir, startPlayground, type Running } from './harness.js';

const CHROMIUM = process.env.TIDEMARK_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(REPO, 'out', 'e2e-playground');
const SECRET = 'cdcpw'; // the MariaDB cdc user's password, in the live pipeline's DSN

describe('the playground in Chromium', () => {
  let root: string;
  let scenarios: string;
  let dataDir: string;
  let pg: Running;
  let browser: BrowserContext;
  let page: Page;
  const stream = new AbortController();
  let sse: ReturnType<typeof collectStream>;
  const bodies: string[] = [];
  let runId = '';

  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(SHOTS, `${name}.png`) });
  const tab = async (name: string, p: Page = page) => {
    await p.click(`nav [data-tab="${name}"]`);
    await p.locator(`[data-pane="${name}"]`).waitFor({ state: 'visible' });
  };
  const latest = (p: Page, chart: string, series: string) =>
    p.locator(`[data-chart="${chart}"] .value[data-series="${series}"]`).getAttribute('data-value').then((v) => (v ? Number(v) : null));

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (setup does this)`);
    mkdirSync(SHOTS, { recursive: true });
    root = mkdtempSync(join(tmpdir(), 'tidemark-playground-e2e-'));
    scenarios = scenariosDir(root);
    dataDir = join(root, 'data');
    pg = await startPlayground(['--host', '0.0.0.0', '--data-dir', dataDir, '--scenarios', scenarios, '--ab-scenario', 'playground-backlog']);
    sse = collectStream(`${pg.base}/api/events?token=${pg.token}`, stream.signal);
    browser = await chromium.launchPersistentContext(join(root, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    browser.on('dialog', (d) => void d.accept());
    browser.on('response', (r) => {
      if (!r.url().includes('/api/events')) void r.text().then((t) => bodies.push(t), () => undefined);
    });
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    stream.abort();
    await browser?.close();
    if (pg && pg.child.exitCode === null) {
      pg.child.kill('SIGKILL');
      await pg.exited;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('with --host 0.0.0.0, a request without the token gets 401, with it 200', async () => {
    expect(pg.token).toMatch(/^[\w-]{20,}$/);
    for (const path of ['/', '/api/state', '/api/events', '/assets/main.js']) expect((await fetch(`${pg.base}${path}`)).status, path).toBe(401);
    expect((await fetch(`${pg.base}/api/faults/heal-all`, { method: 'POST', headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${pg.base}/api/state`, { headers: { authorization: `Bearer ${pg.token}` } })).status).toBe(200);
  });

  it('loads with every service healthy', async () => {
    await page.goto(pg.url);
    await page.locator('#status[data-status="ready"]').waitFor({ timeout: 90_000 });
    const services = page.locator('tr[data-service]');
    await expect.poll(async () => (await services.evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-service')}=${r.getAttribute('data-health')}`))).sort(), { timeout: 30_000, interval: 250 })
      .toEqual(['http=healthy', 'kafka=healthy', 'mysql-b=healthy', 'mysql=healthy', 'nats=healthy', 'postgres-b=healthy', 'postgres=healthy', 'redis=healthy', 'schema-registry=healthy', 'toxiproxy=healthy']);
    await page.locator('tr[data-engine="live"][data-health="healthy"]').waitFor();
    await page.locator('#conn[data-open="true"]').waitFor();
    await shot('chaos');
  }, 120_000);

  it('a Kafka partition clicked shows in active faults and the Kafka lag rises; heal all clears it and the lag falls back', async () => {
    await page.click('#workload-start');
    await page.locator('#workload-status[data-state="running"]').waitFor();
    await expect.poll(() => latest(page, 'rows', 'kafka'), { timeout: 20_000, interval: 250 }).toBeGreaterThan(20);

    await page.click('[data-preset="kafka-outage"]');
    await page.locator('#active-faults li[data-kind="partition"][data-target="kafka"]').waitFor();
    await page.locator('tr[data-service="kafka"] [data-proxy="down"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => latest(page, 'lag', 'kafka'), { timeout: 30_000, interval: 250 }).toBeGreaterThan(4);
    expect(Number(await page.locator('[data-chart="lag"]').getAttribute('data-windows'))).toBeGreaterThanOrEqual(1);
    await page.locator('#live').scrollIntoViewIfNeeded();
    await shot('fault-active');

    await page.click('#heal-all');
    await page.locator('#active-faults li[data-empty]').waitFor();
    await expect.poll(() => latest(page, 'lag', 'kafka'), { timeout: 45_000, interval: 250 }).toBeLessThan(2);
  }, 120_000);

  it('"check now" after healing shows every verdict valid', async () => {
    await page.click('#check-now');
    await page.locator('#check-result[data-status="done"]').waitFor({ timeout: 90_000 });
    const verdicts = await page.locator('#check-result tr.verdict').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-checker')}:${r.getAttribute('data-validity')}`));
    expect(verdicts.length).toBeGreaterThanOrEqual(10);
    expect(verdicts.filter((v) => !v.endsWith(':valid'))).toEqual([]);
    expect(new Set(verdicts.map((v) => v.split(':')[0]))).toEqual(new Set(['lost', 'duplicated', 'reordered', 'phantom', 'stalled', 'expectation', 'undecodable']));
    await page.locator('#check-result').scrollIntoViewIfNeeded();
    await shot('check-now');
    await page.click('#workload-stop');
  }, 120_000);

  it('a short scenario started from the page streams its progress and ends with its verdicts; a second tab sees the same run', async () => {
    await tab('scenarios');
    await page.selectOption('#run-scenario', 'smoke');
    await page.selectOption('#run-source', 'mysql');
    await page.fill('#run-seed', '7');
    await page.click('#run-start');
    await page.locator('#run-head[data-status="running"]').waitFor();
    await expect.poll(() => page.locator('#run-log').textContent(), { timeout: 60_000, interval: 200 }).toContain('phase: workload');

    // A tab opened mid-run shows the same run, its log and its faults: the state lives on the server.
    const second = await browser.newPage();
    await second.goto(`${pg.base}/#scenarios`);
    await second.locator('#run-head[data-status="running"]').waitFor();
    expect(await second.locator('#run-head').textContent()).toBe(await page.locator('#run-head').textContent().then((t) => t));
    await expect.poll(() => second.locator('#run-log').textContent(), { timeout: 10_000 }).toContain('phase: workload');
    await expect.poll(() => second.locator('#run-log').textContent(), { timeout: 20_000, interval: 200 }).toContain('nemesis: partition on kafka');
    await second.close();

    await page.locator('#run-head[data-status="passed"]').waitFor({ timeout: 120_000 });
    const verdicts = await page.locator('#run-results tr.verdict').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-validity')));
    expect(verdicts.length).toBeGreaterThanOrEqual(8);
    expect(new Set(verdicts)).toEqual(new Set(['valid']));
    expect(await page.locator('#run-log').textContent()).toMatch(/PASS smoke \(mysql\)/);
    const report = await page.locator('#run-report').getAttribute('href');
    runId = /\/runs\/([^/]+)\//.exec(report ?? '')?.[1] ?? '';
    const html = await (await fetch(`${pg.base}${report}`, { headers: { authorization: `Bearer ${pg.token}` } })).text();
    expect(html).toContain('smoke (mysql)');
    await page.locator(`#run-history tr[data-run-id="${runId}"][data-status="passed"]`).waitFor();
    await shot('scenarios');
  }, 180_000);

  it('the config lab shows a bad pipeline YAML\'s path-qualified error, and the pipeline API answers', async () => {
    await tab('config-lab');
    await page.locator('#lab-problems[data-valid="true"]').waitFor({ timeout: 20_000 });
    const yaml = await page.inputValue('#lab-editor');
    await page.fill('#lab-editor', yaml.replace(/max_events: \d+/, 'max_events: -5'));
    const problem = page.locator('#lab-problems li[data-path="spec.batch.max_events"]');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/^spec\.batch\.max_events: .+\(line \d+\)$/);
    await shot('config-lab');

    await tab('pipeline-api');
    await page.click('#api-refresh');
    await page.click('#api-checkpoints');
    await expect.poll(() => page.locator('#api-result').getAttribute('data-path')).toMatch(/\/checkpoints$/);
    await shot('pipeline-api');
  }, 60_000);

  it('the config lab\'s A/B drains the same backlog with configs A and B and compares them', async () => {
    await tab('config-lab');
    await page.fill('#lab-editor', (await page.inputValue('#lab-editor')).replace(/max_events: -5/, 'max_events: 200'));
    await page.locator('#ab-a-problems[data-valid="true"]').waitFor({ timeout: 20_000 });
    await page.locator('#ab-b-problems[data-valid="true"]').waitFor();
    expect(await page.inputValue('#ab-b')).toContain('max_events: 2000');
    await page.click('#ab-run');
    await tab('scenarios');
    await page.locator('#run-head[data-kind="ab"][data-status="running"]').waitFor({ timeout: 10_000 });
    await page.locator('#run-head[data-status="passed"]').waitFor({ timeout: 150_000 });
    const figures = await page.locator('#ab-result tr[data-figure] td[data-config]').allTextContents();
    expect(figures).toHaveLength(8);
    for (const f of figures) expect(Number(f), `figures ${figures.join(', ')}`).toBeGreaterThan(0);
    await page.locator('#ab-result').scrollIntoViewIfNeeded();
    await shot('ab');
  }, 180_000);

  it('never sends a DSN password to the page', async () => {
    const fetched = await Promise.all(['/api/state', '/api/lab/template', '/api/engines/live/api/pipelines'].map(async (p) => (await fetch(`${pg.base}${p}`, { headers: { authorization: `Bearer ${pg.token}` } })).text()));
    const state = JSON.parse(fetched[0]!) as { live: { pipeline: string } };
    fetched.push(await (await fetch(`${pg.base}/api/engines/live/api/pipelines/${state.live.pipeline}`, { headers: { authorization: `Bearer ${pg.token}` } })).text());
    expect(fetched[3]).toContain(':***@'); // the DSN is there, masked
    const everything = [...bodies, ...fetched, sse.text(), await page.content()];
    expect(sse.text().length).toBeGreaterThan(10_000);
    for (const text of everything) expect(text).not.toContain(SECRET);
  });

  it('SIGKILL of the playground leaves no server or engine running; the run history survives a restart', async () => {
    const pid = pg.child.pid!;
    const family = descendants(pid);
    expect(family.length).toBeGreaterThanOrEqual(9); // 7 servers, Toxiproxy, the engine
    pg.child.kill('SIGKILL');
    await pg.exited;
    await expect.poll(() => family.filter(alive), { timeout: 15_000, interval: 100 }).toEqual([]);

    const again = await startPlayground(['--data-dir', dataDir, '--scenarios', scenarios]);
    try {
      expect(again.token).toBeNull(); // loopback: no token
      const restarted = await browser.newPage();
      await restarted.goto(`${again.base}/#scenarios`);
      await restarted.locator(`#run-history tr[data-run-id="${runId}"][data-status="passed"]`).waitFor({ timeout: 20_000 });
      await restarted.locator(`#run-history button[data-rerun="${runId}"]`).waitFor();
      await restarted.close();
    } finally {
      const mine = descendants(again.child.pid!);
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
      await expect.poll(() => [...mine, ...descendants(again.child.pid!)].filter(alive), { timeout: 15_000, interval: 100 }).toEqual([]);
    }
  }, 90_000);
});
