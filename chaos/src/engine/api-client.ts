/**
 * The engine's REST API as the harness uses it (docs/api.md). The harness drives the engine
 * only through this API (and signals to its process), exactly as an operator would.
 */

/** The error of a failed pipeline (PipeInfo.failure). */
export interface PipelineFailure {
  readonly code: string;
  readonly kind?: string;
  readonly remedy?: string;
  readonly message: string;
}

export interface PipelineInfo {
  readonly name: string;
  /** starting, running, paused, stopping, stopped or failed. */
  readonly status: string;
  readonly desired?: string;
  readonly spec?: unknown;
  readonly failure?: PipelineFailure | null;
  readonly last_error?: PipelineFailure | null;
  /** Only on GET /pipelines/{name}. */
  readonly ops?: {
    readonly lag_seconds?: number | null;
    readonly sink_events?: Readonly<Record<string, number>>;
    readonly sink_errors?: Readonly<Record<string, number>>;
  };
}

/** One DLQ entry as the API lists it (docs/dlq.md, "Entries"). */
export interface DlqEntryInfo {
  readonly seq: number;
  readonly event_id: string;
  readonly payload_truncated: boolean;
  readonly event: { readonly op: string; readonly source: { readonly db: string; readonly table: string }; readonly before: unknown; readonly after: unknown; readonly tx?: { readonly id: string; readonly index: number; readonly end: boolean } };
  readonly meta: { readonly sink_id: string; readonly error_kind: string; readonly error_code: string; readonly error_message: string };
}

export interface HealthInfo {
  /** 200 when every pipeline is healthy, 503 when one failed. */
  readonly status: number;
  readonly body: unknown;
}

export class EngineApiError extends Error {
  constructor(readonly status: number, readonly body: unknown, what: string) {
    super(`${what}: HTTP ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
  }
}

export class EngineApi {
  constructor(readonly baseUrl: string, private readonly token?: string) {}

  async health(): Promise<HealthInfo> {
    const res = await this.raw('GET', '/health');
    return { status: res.status, body: await body(res) };
  }

  /** True once /ready answers 200; false while loading, shutting down or unreachable. */
  async ready(): Promise<boolean> {
    try {
      const res = await this.raw('GET', '/ready', undefined, 2_000);
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** POST /pipelines: 201 with the PipeInfo (status starting or running). */
  createPipeline(document: unknown): Promise<PipelineInfo> {
    return this.json('POST', '/pipelines', document);
  }

  getPipeline(name: string): Promise<PipelineInfo> {
    return this.json('GET', `/pipelines/${encodeURIComponent(name)}`);
  }

  listPipelines(): Promise<PipelineInfo[]> {
    return this.json('GET', '/pipelines');
  }

  /** DELETE /pipelines/{name}: 204, no body. */
  async deletePipeline(name: string): Promise<void> {
    await this.json('DELETE', `/pipelines/${encodeURIComponent(name)}`);
  }

  patchPipeline(name: string, patch: unknown): Promise<PipelineInfo> {
    return this.json('PATCH', `/pipelines/${encodeURIComponent(name)}`, patch);
  }

  action(name: string, action: 'pause' | 'resume' | 'stop'): Promise<PipelineInfo> {
    return this.json('POST', `/pipelines/${encodeURIComponent(name)}/${action}`);
  }

  /** GET /pipelines/{name}/journal/dlq: entries oldest first (at most `limit`, 1000 at most). */
  dlq(name: string, limit = 1000): Promise<DlqEntryInfo[]> {
    // Entries carry whole row images: a full listing can be tens of MB.
    return this.json('GET', `/pipelines/${encodeURIComponent(name)}/journal/dlq?limit=${limit}`, undefined, 60_000);
  }

  /** POST .../journal/dlq/ack: removes every entry up to and including `upToSeq`. */
  async dlqAck(name: string, upToSeq: number): Promise<number> {
    return (await this.json<{ acked: number }>('POST', `/pipelines/${encodeURIComponent(name)}/journal/dlq/ack`, { up_to_seq: upToSeq })).acked;
  }

  async dlqCount(name: string): Promise<number> {
    return (await this.json<{ count: number }>('GET', `/pipelines/${encodeURIComponent(name)}/journal/dlq/count`)).count;
  }

  checkpoints(name: string): Promise<unknown[]> {
    return this.json('GET', `/pipelines/${encodeURIComponent(name)}/checkpoints`);
  }

  private async json<T>(method: string, path: string, payload?: unknown, timeoutMs?: number): Promise<T> {
    const res = await this.raw(method, path, payload, timeoutMs);
    const parsed = await body(res);
    if (!res.ok) throw new EngineApiError(res.status, parsed, `${method} ${path}`);
    return parsed as T;
  }

  private raw(method: string, path: string, payload?: unknown, timeoutMs = 10_000): Promise<Response> {
    const headers: Record<string, string> = {};
    // No content type without a body: the API refuses an empty body declared as JSON.
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return fetch(`${this.baseUrl}${path}`, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), signal: AbortSignal.timeout(timeoutMs) });
  }
}

async function body(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
