import type { FastifyInstance, RouteHandlerMethod } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without the API token (/health, /ready). */
    public?: boolean;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type JsonSchema = Record<string, unknown>;

/** One route as the OpenAPI document describes it. */
export interface RouteDoc {
  readonly method: HttpMethod;
  /** Fastify syntax (`/pipelines/:name`); the document shows `{name}`. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly public?: boolean;
  readonly body?: { readonly schema: JsonSchema; readonly description?: string; readonly required?: boolean };
  readonly query?: ReadonlyArray<{ readonly name: string; readonly schema: JsonSchema; readonly description: string; readonly array?: boolean }>;
  /** Status → description and schema (a `$ref` name from COMPONENT_SCHEMAS or an inline schema). */
  readonly responses: Readonly<Record<number, { readonly description: string; readonly schema?: JsonSchema | string; readonly text?: boolean }>>;
}

/**
 * Routes are registered through here so each one carries its documentation: the OpenAPI
 * document is built from this list (and a test compares it with fastify's own route table).
 */
export class RouteCatalog {
  private readonly list: RouteDoc[] = [];

  get routes(): readonly RouteDoc[] {
    return this.list;
  }

  add(app: FastifyInstance, doc: RouteDoc, handler: RouteHandlerMethod): void {
    this.list.push({ ...doc, url: app.prefix + doc.url });
    app.route({ method: doc.method, url: doc.url, handler, config: { public: doc.public ?? false } });
  }
}
