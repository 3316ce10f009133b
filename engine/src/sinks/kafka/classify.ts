import { errorMessage, isBug, isTidemarkError, TidemarkError, type ErrorCode } from '../../errors/index.js';
import type { KafkaClientName } from './adapter.js';
import { KafkaTimeoutError } from './deadline.js';

/** What one error in a cause chain says about itself, whichever client raised it. */
interface Fact {
  readonly code: number | undefined;
  readonly type: string | undefined;
  readonly name: string;
  readonly message: string;
}

/** Kafka protocol codes (kafkajs `code`, librdkafka's positive codes are the same numbers). */
const FENCED = new Set([90 /* PRODUCER_FENCED */, 47 /* INVALID_PRODUCER_EPOCH */]);
const LIBRDKAFKA_FENCED = -144; // ERR__FENCED
const AUTH = new Set([29, 30, 31, 33, 34, 53, 58, -169 /* ERR__AUTHENTICATION */]);
const REJECTED = new Set([
  10 /* MESSAGE_TOO_LARGE (broker side) */, 17 /* INVALID_TOPIC_EXCEPTION */, 18 /* RECORD_LIST_TOO_LARGE */, 21 /* INVALID_REQUIRED_ACKS */,
  35 /* UNSUPPORTED_VERSION */, 43 /* UNSUPPORTED_FOR_MESSAGE_FORMAT */, 44 /* POLICY_VIOLATION */, 50 /* INVALID_TRANSACTION_TIMEOUT */,
  76 /* UNSUPPORTED_COMPRESSION_TYPE */, 87 /* INVALID_RECORD */, -186 /* ERR__INVALID_ARG */,
]);
const TOO_LARGE = 10;

function facts(e: unknown, out: Fact[] = [], depth = 0): Fact[] {
  if (depth > 6 || e === null || typeof e !== 'object') return out;
  const err = e as { code?: unknown; type?: unknown; name?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  out.push({
    code: typeof err.code === 'number' ? err.code : undefined,
    type: typeof err.type === 'string' ? err.type : undefined,
    name: typeof err.name === 'string' ? err.name : 'Error',
    message: errorMessage(e),
  });
  facts(err.cause, out, depth + 1);
  facts(err.originalError, out, depth + 1);
  if (Array.isArray(err.errors)) for (const inner of err.errors) facts(inner, out, depth + 1);
  return out;
}

export interface ClassifyContext {
  readonly sink: string;
  readonly client: KafkaClientName;
  /** Fencing only means "another instance" for a transactional producer. */
  readonly transactional: boolean;
  readonly operation: string;
}

/**
 * The reference's Kafka failure table: broker unreachable, timeouts, leader elections, unknown
 * topics, storage errors → retryable; authentication/authorisation, invalid requests and a
 * broker-side MESSAGE_TOO_LARGE → non-retryable; producer fenced → fatal. Oversized events are
 * caught per event before sending (poison, see messages.ts).
 */
export function classifyKafkaError(e: unknown, ctx: ClassifyContext): TidemarkError {
  if (isTidemarkError(e)) return e;
  const all = facts(e);
  const has = (pred: (f: Fact) => boolean): Fact | undefined => all.find(pred);
  const detail = (f: Fact | undefined): string => (f ? [f.type, f.code].filter((x) => x !== undefined).join('/') : '');
  const make = (code: ErrorCode, f: Fact | undefined, remedy: string): TidemarkError => {
    const what = f ?? all[0];
    const tag = detail(what);
    return new TidemarkError(code, `kafka sink ${ctx.sink} (${ctx.client}) ${ctx.operation} failed: ${errorMessage(e)}${tag ? ` [${tag}]` : ''}${remedy ? `. ${remedy}` : ''}`, {
      cause: e,
      context: { sink: ctx.sink, client: ctx.client, kafkaError: tag || undefined },
    });
  };

  const fenced = has((f) => f.code === LIBRDKAFKA_FENCED || (ctx.transactional && ((f.code !== undefined && FENCED.has(f.code)) || f.type === 'PRODUCER_FENCED' || f.type === 'INVALID_PRODUCER_EPOCH')));
  if (fenced) return make('TIDEMARK_ERR_SINK_FENCED', fenced, 'Another producer with the same transactional.id took over; make sure only one engine runs this pipeline, then restart it');

  const config = has((f) => /configuration property|No such configuration/i.test(f.message));
  if (config) return new TidemarkError('TIDEMARK_ERR_KAFKA_CLIENT_CONF', `kafka sink ${ctx.sink} (${ctx.client}): ${config.message}`, { cause: e, context: { sink: ctx.sink, client: ctx.client } });

  const auth = has((f) => (f.code !== undefined && AUTH.has(f.code)) || f.name === 'KafkaJSSASLAuthenticationError');
  if (auth) return make('TIDEMARK_ERR_SINK_AUTH', auth, 'Fix the credentials or ACLs in client_conf');

  const tooLarge = has((f) => f.code === TOO_LARGE || f.type === 'MESSAGE_TOO_LARGE');
  if (tooLarge) return make('TIDEMARK_ERR_SINK_REJECTED', tooLarge, 'The broker refused a record batch as too large: set client_conf message.max.bytes no higher than the topic\'s max.message.bytes so oversized events are caught one by one');

  const rejected = has((f) => f.code !== undefined && REJECTED.has(f.code));
  if (rejected) return make('TIDEMARK_ERR_SINK_REJECTED', rejected, '');

  if (!(e instanceof KafkaTimeoutError) && isBug(e)) return make('TIDEMARK_ERR_SINK_REJECTED', undefined, 'This is a bug in the sink or client; please report it');
  return make('TIDEMARK_ERR_SINK_UNAVAILABLE', has((f) => f.code !== undefined || f.type !== undefined), '');
}
