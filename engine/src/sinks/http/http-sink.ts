import type { HttpSinkConfig } from '../../config/index.js';
import { compileTemplate, createSerializer, type Batch, type EventSerializer, type Position, type Template } from '../../event/index.js';
import { errorKind, TidemarkError, type ErrorKind } from '../../errors/index.js';
import { serializerContext, type DeliveryReport, type PoisonedEvent, type Sink, type SinkContext } from '../sink.js';
import { baseHeaders, planRequests, type HttpRequestPlan } from './requests.js';
import { statusError } from './status.js';
import { HttpTransport } from './transport.js';

/** Requests in flight per batch; requests for one url+key stay strictly sequential. */
const CONCURRENCY = 16;

/**
 * Webhook sink: POST/PUT/PATCH of each event (or a JSON array per url in batch mode), at least
 * once. A batch is acknowledged only when every request got a 2xx; otherwise the coordinator
 * retries the whole batch and the receiver deduplicates by the Idempotency-Key header.
 */
export class HttpSink implements Sink {
  readonly id: string;
  readonly required: boolean;
  readonly ownsCheckpoint = false;
  private readonly url: Template;
  private readonly serializer: EventSerializer;
  private readonly headers: Record<string, string>;
  private transport: HttpTransport | null = null;

  constructor(private readonly config: HttpSinkConfig, private readonly ctx: SinkContext) {
    this.id = config.id;
    this.required = config.required;
    this.url = compileTemplate(config.url, ctx, { what: 'url', validate: validateUrl });
    if (config.batch_mode && config.encoding !== 'json') throw new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `http sink ${config.id}: batch_mode sends a JSON array and cannot carry avro; use encoding json or batch_mode: false`, { context: { sink: config.id } });
    this.serializer = createSerializer(config.envelope, config.encoding, serializerContext(`http sink ${config.id}`, ctx));
    this.headers = baseHeaders(config, this.serializer.contentType);
  }

  async open(): Promise<void> {
    if (this.url.isStatic) {
      const problem = validateUrl(this.url.source);
      if (problem) throw new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `sink ${this.id}: url ${problem}`, { context: { sink: this.id } });
    }
    this.transport ??= new HttpTransport({ connectTimeoutMs: this.config.connect_timeout_secs * 1000, connections: CONCURRENCY });
  }

  async readCheckpoint(): Promise<Position | null> {
    return null;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    const transport = this.transport;
    if (!transport) throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `sink ${this.id} is not open`, { kind: 'retryable' });
    await this.serializer.prepare?.(batch.events, () => this.id);
    const { requests, poisoned } = planRequests(batch, {
      sinkId: this.id,
      tenant: this.ctx.tenant,
      url: this.url,
      serializer: this.serializer,
      baseHeaders: this.headers,
      batchMode: this.config.batch_mode,
      dlqEnabled: this.ctx.dlqEnabled,
    });
    const batchDeadline = AbortSignal.timeout(this.config.batch_timeout_secs * 1000);
    const failures: TidemarkError[] = [];
    const lanes = [...groupBy(requests, (r) => r.lane).values()];

    const sendLane = async (lane: readonly HttpRequestPlan[]): Promise<void> => {
      for (const req of lane) {
        if (failures.length > 0) return;
        const signal = AbortSignal.any([batchDeadline, AbortSignal.timeout(this.config.send_timeout_secs * 1000)]);
        const answer = await transport.send(req.url, this.config.method, req.headers, req.body, signal).catch((e: TidemarkError) => e);
        if (answer instanceof TidemarkError) failures.push(answer);
        else if (answer.status < 200 || answer.status >= 300) {
          const error = statusError({ status: answer.status, url: req.url, retryAfter: answer.retryAfter, body: answer.body, batchMode: this.config.batch_mode });
          if (error.kind === 'poison' && this.ctx.dlqEnabled) poisoned.push(...req.events.map((event): PoisonedEvent => ({ event, error })));
          else failures.push(error);
        }
      }
    };
    const workers = Array.from({ length: Math.min(CONCURRENCY, lanes.length) }, async () => {
      for (let lane = lanes.shift(); lane && failures.length === 0; lane = lanes.shift()) await sendLane(lane);
    });
    await Promise.all(workers);
    if (failures.length > 0) throw worst(failures);
    return { poisoned };
  }

  async close(): Promise<void> {
    const t = this.transport;
    this.transport = null;
    await t?.close();
    await this.serializer.close?.();
  }

  async reloadSchemas(): Promise<void> {
    this.serializer.reset?.();
  }
}

function validateUrl(value: string): string | null {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : `must be http(s), got ${u.protocol}`;
  } catch {
    return 'is not a valid URL';
  }
}

const SEVERITY: Record<ErrorKind, number> = { fatal: 3, 'non-retryable': 2, poison: 1, retryable: 0 };

/** Of several failures in one batch, the one that decides what happens next. */
function worst(errors: readonly TidemarkError[]): TidemarkError {
  return errors.reduce((a, b) => (SEVERITY[errorKind(b)] > SEVERITY[errorKind(a)] ? b : a));
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = m.get(k);
    if (g) g.push(it);
    else m.set(k, [it]);
  }
  return m;
}
