import { TidemarkError, type ErrorCode } from '../../errors/index.js';

/**
 * Redis error replies by their first word (the reference's Redis failure-mode table as data).
 * Anything that is not a reply from the server (refused, reset, closed, timed out) is a
 * connection problem and retries.
 */
const REPLY_RULES: Readonly<Record<string, { readonly code: ErrorCode; readonly hint: string }>> = {
  NOAUTH: { code: 'TIDEMARK_ERR_SINK_AUTH', hint: 'Redis needs a password: add it to the uri (redis://:password@host:port)' },
  WRONGPASS: { code: 'TIDEMARK_ERR_SINK_AUTH', hint: 'fix the user/password in the uri' },
  NOPERM: { code: 'TIDEMARK_ERR_SINK_AUTH', hint: 'the ACL user may not run XADD/EVALSHA/HSET on these keys' },
  OOM: { code: 'TIDEMARK_ERR_REDIS_OOM', hint: 'raise maxmemory or trim streams; retrying' },
  READONLY: { code: 'TIDEMARK_ERR_REDIS_READONLY', hint: 'the uri points at a replica; retrying until it is a primary' },
  WRONGTYPE: { code: 'TIDEMARK_ERR_REDIS_WRONGTYPE', hint: 'a stream name is a key of another type' },
  LOADING: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'Redis is loading its dataset; retrying' },
  BUSY: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'a script is running; retrying' },
  MASTERDOWN: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'the primary is down; retrying' },
  TRYAGAIN: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'retrying' },
  CLUSTERDOWN: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'the cluster is down; retrying' },
  MOVED: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'Redis Cluster redirect: this sink speaks to one node, see docs/sinks/redis.md' },
  ASK: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'Redis Cluster redirect: this sink speaks to one node, see docs/sinks/redis.md' },
  NOSCRIPT: { code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', hint: 'the script cache was flushed; reloading' },
};

interface RedisLikeError {
  name?: string;
  message?: string;
  code?: string;
}

/** The classified error for anything ioredis throws, with the sink and what was being done. */
export function classifyRedisError(e: unknown, sinkId: string, doing: string): TidemarkError {
  if (e instanceof TidemarkError) return e;
  const err = (e ?? {}) as RedisLikeError;
  const message = err.message ?? String(e);
  const context = { sink: sinkId };
  if (err.name === 'ReplyError') {
    const word = message.split(/\s/, 1)[0]!.toUpperCase();
    const rule = REPLY_RULES[word];
    if (rule) return new TidemarkError(rule.code, `Redis ${doing} failed: ${message} (${rule.hint})`, { cause: e, context });
    return new TidemarkError('TIDEMARK_ERR_SINK_REJECTED', `Redis ${doing} was refused: ${message}`, { cause: e, context });
  }
  return new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `Redis ${doing} failed: ${message}; retrying`, { cause: e, context: err.code ? { ...context, code: err.code } : context });
}
