/** JSON Schemas of the schema sensing and drift responses, for the OpenAPI document (docs/schema-sensing.md). */
type JsonSchema = Record<string, unknown>;

const kinds = { type: 'array', items: { type: 'string', enum: ['boolean', 'integer', 'number', 'string', 'array', 'object'] } };

const summaryProperties = {
  table: { type: 'string', description: '`db.table`, or `db.table:column` for a JSON column' },
  fingerprint: { type: 'string', examples: ['sha256:abc123...'] },
  sequence: { type: 'integer', description: 'Monotonic version number; increments on each evolution.' },
  event_count: { type: 'integer' },
  stabilized: { type: 'boolean' },
  first_seen: { type: 'string', format: 'date-time' },
  last_seen: { type: 'string', format: 'date-time' },
};
const summaryRequired = Object.keys(summaryProperties);

export const SENSING_SCHEMAS: Record<string, JsonSchema> = {
  SensedSchemaSummary: { type: 'object', properties: summaryProperties, required: summaryRequired },
  SensedSchema: {
    type: 'object',
    properties: {
      ...summaryProperties,
      fields: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, types: kinds, nullable: { type: 'boolean' }, optional: { type: 'boolean' }, nested_field_count: { type: 'integer' }, array_element_types: kinds },
          required: ['name', 'types', 'nullable', 'optional'],
        },
      },
    },
    required: [...summaryRequired, 'fields'],
  },
  SensingStats: {
    type: 'object',
    properties: {
      tables: {
        type: 'array',
        items: { type: 'object', properties: { table: { type: 'string' }, cached_structures: { type: 'integer' }, max_cache_size: { type: 'integer' }, cache_hits: { type: 'integer' }, cache_misses: { type: 'integer' } } },
      },
      total_cache_hits: { type: 'integer' },
      total_cache_misses: { type: 'integer' },
      hit_rate: { type: 'number' },
    },
    required: ['tables', 'total_cache_hits', 'total_cache_misses', 'hit_rate'],
  },
  Classifications: {
    type: 'object',
    properties: {
      table: { type: 'string' },
      paths: { type: 'object', additionalProperties: { type: 'object', properties: { stable_fields: { type: 'array', items: { type: 'string' } }, has_dynamic_fields: { type: 'boolean' }, unique_keys: { type: 'integer' } } } },
    },
    required: ['table', 'paths'],
  },
  TableDrift: {
    type: 'object',
    properties: {
      table: { type: 'string' },
      has_drift: { type: 'boolean' },
      columns: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            column: { type: 'string' },
            expected_type: { type: ['string', 'null'] },
            observed_types: { type: 'array', items: { type: 'string' } },
            mismatch_count: { type: 'integer' },
            examples: { type: 'array', items: { type: 'string' } },
            drift_types: { type: 'array', items: { type: 'string', enum: ['unexpected_null', 'type_mismatch', 'undeclared_column', 'missing_column', 'json_structure_change'] } },
          },
          required: ['column', 'expected_type', 'observed_types', 'mismatch_count', 'examples', 'drift_types'],
        },
      },
      events_analyzed: { type: 'integer' },
      events_with_drift: { type: 'integer' },
    },
    required: ['table', 'has_drift', 'columns', 'events_analyzed', 'events_with_drift'],
  },
  JsonSchemaDocument: { type: 'object', description: 'A JSON Schema (draft-07) document.', properties: { $schema: { type: 'string' }, title: { type: 'string' } }, required: ['$schema', 'title'] },
};
