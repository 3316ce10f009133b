import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsServers, startTopology, type Topology } from '../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import { pipelineSpec } from '../../../../engine/src/config/index.js';
import { createEnvelope, idempotencyKey, type ChangeEvent } from '../../../../engine/src/event/index.js';
import { closeDeadLetterJournals, openDeadLetterJournal } from '../../../../engine/src/journal/index.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { logOf, makeSink, startPipeline, TENANT } from '../pipeline-harness.js';
import { waitFor } from '../../../support/poll.js';
import { readStreamMessages } from './nats-read.js';

let topo: Topology;
let nc: NatsConnection;
let jsm: JetStreamManager;
let url: string;
let dataDir: string;

beforeAll(async () => {
  topo = await startTopology(['nats'], { provider: 'native' });
  url = `nats://${natsServers(topo.get('nats'), 'proxy')}`;
  nc = await connect({ servers: natsServers(topo.get('nats'), 'direct') });
  jsm = await jetstreamManager(nc);
  dataDir = mkdtempSync(join(tmpdir(), 'tidemark-nats-it-'));
});

afterAll(async () => {
  closeDeadLetterJournals();
  await nc?.close();
  await topo?.down();
  rmSync(dataDir, { recursive: true, force: true });
});

const readAll = (stream: string) => readStreamMessages(jsm, stream);

const events = (n: number, opts: { txSize?: number; payloadBytes?: number } = {}): ChangeEvent[] => {
  const log = generatedLog({ events: n, txSize: opts.txSize ?? 1, keys: 7, payloadBytes: opts.payloadBytes ?? 120 });
  return Array.from({ length: n }, (_, i) => log.at(i));
};

const config = (stream: string, extra: Record<string, unknown> = {}) => ({ id: 'n', url, stream, subject: `${stream.toLowerCase()}.\${source.table}`, create_stream: true, ...extra });

describe('nats sink: round trip and routing', () => {
  for (const envelope of [{ type: 'native' }, { type: 'debezium' }, { type: 'cloudevents', type_prefix: 'com.acme.cdc' }] as const) {
    it(`stores the ${envelope.type} envelope with Nats-Msg-Id and the tidemark headers`, async () => {
      const stream = `RT_${envelope.type.toUpperCase()}`;
      const sink = makeSink({ type: 'nats', config: config(stream, { envelope }) });
      const evs = events(10, { txSize: 3 });
      const p = await startPipeline({ sink, log: logOf(evs) });
      await p.waitForCommit(9);
      await p.coordinator.stop();
      const got = await readAll(stream);
      expect(got).toHaveLength(10);
      const wrap = createEnvelope(envelope);
      got.forEach((m, i) => {
        const e = evs[i]!;
        expect(m.data).toBe(JSON.stringify(wrap(e)));
        expect(m.subject).toBe(`${stream.toLowerCase()}.${e.source.table}`);
        expect(m.headers['Nats-Msg-Id']).toBe(idempotencyKey(TENANT, e));
        expect(m.headers['df-key']).toBe(`{"id":${(e.after as { id: number }).id}}`);
        expect(m.headers['tidemark-tx-id']).toBe(e.tx.id);
        expect(m.headers['tidemark-event-id']).toBe(e.id);
      });
    });
  }

  it('created the stream with a filter covering the template and the duplicate window', async () => {
    const info = await jsm.streams.info('RT_NATIVE');
    expect(info.config.subjects).toEqual(['rt_native.>']);
    expect(info.config.duplicate_window).toBe(120 * 1e9);
  });

  it('without a stream, a subject nobody captures is a retryable no-responders failure', async () => {
    const sink = makeSink({ type: 'nats', config: { id: 'n', url, subject: 'nobody.listens' } });
    await sink.open();
    const evs = events(3);
    await expect(sink.deliver({ seq: 1, events: evs, bytes: 0, position: evs[2]!.source.position })).rejects.toMatchObject({ code: 'TIDEMARK_ERR_NATS_NO_RESPONDERS', kind: 'retryable' });
    await sink.close();
  });

  it('refuses to start on a missing stream without create_stream', async () => {
    const missing = makeSink({ type: 'nats', config: { id: 'n', url, stream: 'NOPE', subject: 'nope.x' } });
    await expect(missing.open()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_NATS_STREAM_NOT_FOUND', kind: 'non-retryable' });
    await missing.close();
  });
});

describe('nats sink: deduplication', () => {

  it('a replay after a crash (checkpoints lost) adds no copies within the window', async () => {
    const log = generatedLog({ events: 600, txSize: 3, keys: 11 });
    const first = await startPipeline({ sink: makeSink({ type: 'nats', config: config('REPLAY') }), log, chunk: 20, chunkDelayMs: 5 });
    await first.waitForCommit(250);
    first.coordinator.crash();
    // A new engine without the old checkpoints replays the log from the start.
    const second = await startPipeline({ sink: makeSink({ type: 'nats', config: config('REPLAY') }), log, store: new MemoryCheckpointBackend().forPipeline('replay') });
    await second.waitForCommit(599);
    await second.coordinator.stop();
    const got = await readAll('REPLAY');
    expect(got).toHaveLength(600);
    expect(new Set(got.map((m) => m.headers['Nats-Msg-Id'])).size).toBe(600);
  });
});

describe('nats sink: poison events', () => {
  it('sends a too-large event and a subject the stream does not capture to the DLQ; neighbours arrive', async () => {
    const evs = events(30).map((e, i) => {
      if (i === 11) return { ...e, after: { ...e.after, pad: 'y'.repeat(1_100_000) } }; // over max_payload (1 MiB)
      if (i === 23) return { ...e, source: { ...e.source, table: 'elsewhere' } };
      return e;
    });
    await jsm.streams.add({ name: 'POISON', subjects: ['poison.orders', 'poison.items'] });
    const spec = pipelineSpec.parse({
      apiVersion: 'tidemark/v1',
      kind: 'Pipeline',
      metadata: { name: 'nats-poison', tenant: TENANT },
      spec: { source: { type: 'mysql', config: { id: 'm', dsn: 'mysql://x@localhost/db' } }, sinks: [{ type: 'nats', config: { id: 'n', url, subject: 'x' } }], journal: { enabled: true, max_event_bytes: 4096 } },
    });
    const dlq = openDeadLetterJournal(dataDir, spec);
    const sink = makeSink({ type: 'nats', config: { id: 'n', url, stream: 'POISON', subject: 'poison.${source.table}' } }, { dlqEnabled: true });
    const p = await startPipeline({ sink, log: logOf(evs), dlq });
    await p.waitForCommit(29);
    await p.coordinator.stop();
    const got = await readAll('POISON');
    expect(got.map((m) => m.headers['tidemark-event-id'])).toEqual(evs.filter((_, i) => i !== 11 && i !== 23).map((e) => e.id));
    const entries = await dlq.peek({});
    expect(entries.map((e) => [e.event_id, e.meta.error_kind])).toEqual([
      [evs[11]!.id, 'too_large'],
      [evs[23]!.id, 'routing'],
    ]);
    expect(entries[0]!.payload_truncated).toBe(true);
  });

});

describe('nats sink: authentication', () => {
  /** A private nats-server that wants credentials, started and stopped by this test. */
  async function withAuthServer(auth: { user: string; pass: string } | { token: string }, fn: (url: string) => Promise<void>): Promise<void> {
    const port = await freePort();
    const flags = 'token' in auth ? ['--auth', auth.token] : ['--user', auth.user, '--pass', auth.pass];
    const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(port), ...flags], { stdio: 'ignore' });
    try {
      await waitFor(`nats-server with auth on port ${port}`, () => connect({ servers: `127.0.0.1:${port}`, ...auth }).then((c) => c.close().then(() => true), () => false), { timeoutMs: 5_000 });
      await fn(`nats://127.0.0.1:${port}`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }

  it('connects with username/password and fails fast, not retrying, on a wrong password', async () => {
    await withAuthServer({ user: 'cdc', pass: 's3cret' }, async (authUrl) => {
      const good = makeSink({ type: 'nats', config: { id: 'n', url: authUrl, subject: 'x', username: 'cdc', password: 's3cret' } });
      await good.open();
      await good.close();
      const bad = makeSink({ type: 'nats', config: { id: 'n', url: authUrl, subject: 'x', username: 'cdc', password: 'nope' } });
      const error = await bad.open().then(() => null, (e: unknown) => e as { code: string; kind: string; message: string });
      expect(error).toMatchObject({ code: 'TIDEMARK_ERR_SINK_AUTH', kind: 'non-retryable' });
      expect(error!.message).not.toContain('nope');
      await bad.close();
    });
  });

  it('connects with a token and fails fast on a wrong one', async () => {
    await withAuthServer({ token: 'tok3n' }, async (authUrl) => {
      const good = makeSink({ type: 'nats', config: { id: 'n', url: authUrl, subject: 'x', token: 'tok3n' } });
      await good.open();
      await good.close();
      const bad = makeSink({ type: 'nats', config: { id: 'n', url: authUrl, subject: 'x', token: 'nope' } });
      await expect(bad.open()).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SINK_AUTH', kind: 'non-retryable' });
      await bad.close();
    });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}
