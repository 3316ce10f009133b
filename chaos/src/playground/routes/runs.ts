import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactString } from '@tidemark/engine/config/index';
import type { FastifyPluginAsync } from 'fastify';
import { PlaygroundError, type Playground } from '../playground.js';
import type { RunRequest } from '../protocol.js';
import { HistoryStore } from '../runs/history-store.js';

const FILES: Record<string, string> = { 'report.html': 'text/html; charset=utf-8', 'report.json': 'application/json', 'junit.xml': 'application/xml' };

/** A run request from the page, checked before the CLI's own parser sees it. */
export function runRequest(body: unknown): RunRequest {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.scenario !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(b.scenario)) throw new PlaygroundError(400, 'scenario must be a scenario name (lowercase letters, digits, dashes)');
  if (b.source !== 'mysql' && b.source !== 'postgres' && b.source !== 'both') throw new PlaygroundError(400, 'source must be mysql, postgres or both');
  const seed = Number(b.seed ?? 1);
  const runs = Number(b.runs ?? 1);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new PlaygroundError(400, 'seed must be an integer of at least 0');
  if (!Number.isSafeInteger(runs) || runs < 1 || runs > 50) throw new PlaygroundError(400, 'runs must be an integer from 1 to 50');
  return { scenario: b.scenario, source: b.source, seed, runs };
}

/** Scenario runs, their history and their reports. */
export const runRoutes: FastifyPluginAsync<{ playground: Playground }> = async (app, { playground: p }) => {
  app.post('/api/runs', async (request, reply) => reply.status(202).send(await p.startRun(runRequest(request.body))));
  app.post('/api/runs/stop', async () => ({ stopped: p.runs.stop() }));
  app.post('/api/runs/:id/rerun', async (request, reply) => {
    const entry = p.hub.current.history.find((h) => h.id === (request.params as { id: string }).id);
    if (!entry) throw new PlaygroundError(404, 'no such run in the history');
    if (entry.kind !== 'scenario') throw new PlaygroundError(400, 'an A/B comparison is re-run from the config lab');
    return reply.status(202).send(await p.startRun(entry.request));
  });
  app.get('/runs/:id/:file', async (request, reply) => {
    const { id, file } = request.params as { id: string; file: string };
    const type = FILES[file];
    if (!type || !HistoryStore.validId(id)) throw new PlaygroundError(404, 'no such report');
    const path = join(p.runs.storeDir, id, file);
    if (!existsSync(path)) throw new PlaygroundError(404, `the run ${id} has no ${file} (yet)`);
    // Reports hold what the run recorded (errors, log tails): DSN passwords are masked on the way out.
    return reply.type(type).send(redactString(readFileSync(path, 'utf8')));
  });
};
