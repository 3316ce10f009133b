import type { Redis } from 'ioredis';
import type { RedisSinkConfig } from '../../config/index.js';
import { compileTemplate, createSerializer, type Batch, type EventSerializer, type Position, type Template } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { destinationOf, serializerContext, type DeliveryReport, type Sink, type SinkContext } from '../sink.js';
import { createRedisClient } from './client.js';
import { buildEntries, type StreamEntry } from './entries.js';
import { classifyRedisError } from './errors.js';
import { APPLY_BATCH_LUA, applyArgs, checkpointKey, fingerprint, parseApplyReply } from './exactly-once.js';

/**
 * Redis Streams sink. At-least-once: one pipelined XADD per event, per batch. Exactly-once:
 * one Lua script per batch writes the entries and the sink's checkpoint together, so the
 * coordinator can ask Redis what it holds after any failure (see exactly-once.ts).
 */
export class RedisSink implements Sink {
  readonly id: string;
  readonly required: boolean;
  readonly ownsCheckpoint: boolean;
  private readonly stream: Template;
  private readonly key: Template | null;
  private readonly serializer: EventSerializer;
  private readonly ckey: string;
  private client: Redis | null = null;
  private scriptSha = '';
  /** Fingerprint of the checkpoint Redis holds, as last read or written: the script's precondition. */
  private expected = '';

  constructor(private readonly config: RedisSinkConfig, private readonly ctx: SinkContext) {
    this.id = config.id;
    this.required = config.required;
    this.ownsCheckpoint = config.exactly_once;
    this.stream = compileTemplate(config.stream, ctx, { what: 'stream' });
    this.key = config.key ? compileTemplate(config.key, ctx, { what: 'key' }) : null;
    this.serializer = createSerializer(config.envelope, config.encoding, serializerContext(`redis sink ${config.id}`, ctx));
    this.ckey = checkpointKey(ctx.pipeline, config.id);
  }

  async open(): Promise<void> {
    if (!this.client) this.client = createRedisClient(this.config, this.ctx.logger);
    const client = this.client;
    if (client.status === 'wait' || client.status === 'end') {
      try {
        await client.connect();
      } catch (e) {
        // A failed first connect leaves ioredis reconnecting on its own; start over next time.
        this.client = null;
        client.disconnect();
        throw classifyRedisError(e, this.id, 'connect');
      }
    }
    if (this.config.exactly_once) await this.loadScript(client);
  }

  async readCheckpoint(): Promise<Position | null> {
    if (!this.config.exactly_once) return null;
    const client = this.live();
    const [position, fp] = await this.timed(client.hmget(this.ckey, 'position', 'fingerprint'), this.config.send_timeout_secs, 'HMGET checkpoint');
    this.expected = fp ?? '';
    return position ? (JSON.parse(position) as Position) : null;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    const client = this.live();
    await this.serializer.prepare?.(batch.events, (e) => destinationOf(this.stream, e));
    const { entries, poisoned } = buildEntries(batch, {
      tenant: this.ctx.tenant,
      stream: this.stream,
      key: this.key,
      serializer: this.serializer,
      maxMessageBytes: this.config.max_message_bytes,
      dlqEnabled: this.ctx.dlqEnabled,
    });
    if (this.config.exactly_once) await this.applyAtomically(client, batch, entries);
    else if (entries.length > 0) await this.appendPipelined(client, entries);
    return { poisoned };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await this.serializer.close?.();
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }

  async reloadSchemas(): Promise<void> {
    this.serializer.reset?.();
  }

  private async appendPipelined(client: Redis, entries: readonly StreamEntry[]): Promise<void> {
    const pipeline = client.pipeline();
    for (const e of entries) pipeline.xadd(e.stream, '*', ...e.fields);
    const results = await this.timed(pipeline.exec(), this.config.batch_timeout_secs, `XADD of ${entries.length} entries`);
    for (const [err] of results ?? []) if (err) throw classifyRedisError(err, this.id, 'XADD');
  }

  private async applyAtomically(client: Redis, batch: Batch, entries: readonly StreamEntry[]): Promise<void> {
    const args = applyArgs(this.ckey, this.expected, batch.position, entries, Date.now());
    const reply = await this.timed(this.evalScript(client, args), this.config.batch_timeout_secs, `apply script for ${entries.length} entries`);
    const result = parseApplyReply(reply);
    switch (result.outcome) {
      case 'applied':
      case 'already':
        this.expected = fingerprint(batch.position);
        return;
      case 'conflict':
        throw new TidemarkError('TIDEMARK_ERR_REDIS_CHECKPOINT_CONFLICT', `Redis checkpoint ${this.ckey} is not the one this sink last saw; re-reading it before retrying`, { context: { sink: this.id, key: this.ckey } });
      case 'wrongtype':
        throw new TidemarkError('TIDEMARK_ERR_REDIS_WRONGTYPE', `Redis key ${result.key} is a ${result.type}, not a stream; nothing of the batch was written`, { context: { sink: this.id, key: result.key } });
    }
  }

  private async evalScript(client: Redis, args: Array<string | Buffer | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.scriptSha, ...(args as [number, ...Array<string | Buffer | number>]));
    } catch (e) {
      // SCRIPT FLUSH or a restarted server without the script: load it and go again, once.
      if (!String((e as Error).message).startsWith('NOSCRIPT')) throw e;
      await this.loadScript(client);
      return client.evalsha(this.scriptSha, ...(args as [number, ...Array<string | Buffer | number>]));
    }
  }

  private async loadScript(client: Redis): Promise<void> {
    try {
      this.scriptSha = String(await this.timed(client.script('LOAD', APPLY_BATCH_LUA), this.config.send_timeout_secs, 'SCRIPT LOAD'));
    } catch (e) {
      // Redis 6 and older do not know script flags (the shebang line) and refuse to compile it.
      if (e instanceof TidemarkError && /shebang|unexpected symbol|#!/.test(e.message)) {
        throw new TidemarkError('TIDEMARK_ERR_CONFIG_UNSUPPORTED', `sink ${this.id}: exactly_once needs Redis 7 or newer (script flags): ${e.message}`, { cause: e, context: { sink: this.id } });
      }
      throw e;
    }
  }

  private live(): Redis {
    const client = this.client;
    if (!client) throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `sink ${this.id} is not open`, { context: { sink: this.id } });
    return client;
  }

  /**
   * Bounds a command by time and classifies its failure. A command that timed out may still
   * run on the server, so the connection is dropped and re-made: nothing stale stays queued on
   * it, and the coordinator's retry (after re-reading the checkpoint) decides what to send.
   */
  private async timed<T>(promise: Promise<T>, secs: number, doing: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `Redis ${doing} timed out after ${secs}s`, { context: { sink: this.id } })), secs * 1000);
    });
    try {
      return await Promise.race([promise, deadline]);
    } catch (e) {
      const error = classifyRedisError(e, this.id, doing);
      if (error.kind === 'retryable' && /timed out/i.test(error.message)) this.client?.disconnect(true);
      throw error;
    } finally {
      clearTimeout(timer);
      promise.catch(() => {});
    }
  }
}
