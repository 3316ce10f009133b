import { FIELD_HELP } from './field-help.js';
import { pipelineSpec } from './pipeline-spec.js';
import { schemaFields, type FieldRow } from './reference.js';

/** The example of docs/configuration.md; a test loads it with the engine's own loader. */
export const CONFIGURATION_EXAMPLE = `apiVersion: tidemark/v1
kind: Pipeline
metadata:
  name: orders
  tenant: acme
  labels: { team: checkout }
spec:
  source:
    type: mysql
    config:
      id: shop-mysql
      dsn: \${MYSQL_DSN}                    # mysql://cdc:secret@127.0.0.1:3306/shop
      tables: [shop.orders, shop.order_items]
      snapshot: { mode: initial }
  sinks:
    - type: kafka
      config:
        id: orders-kafka
        brokers: \${KAFKA_BROKERS:-127.0.0.1:9092}
        topic: "cdc.\${source.db}.\${source.table}"
        exactly_once: true
    - type: redis
      config:
        id: orders-redis
        uri: \${REDIS_URI:-redis://127.0.0.1:6379}
        stream: "cdc:\${source.table}"
        required: false
  batch: { max_events: 2000, max_ms: 200 }
  commit_policy: { mode: required }
  journal:
    enabled: true
    dlq: { max_entries: 10000, overflow_policy: reject }
`;

/** The help line of a field, by type first; a missing line is an error (the docs test names it). */
function helpOf(row: FieldRow): string {
  const help = (row.variant !== null ? FIELD_HELP[`${row.variant}:${row.path}`] : undefined) ?? FIELD_HELP[row.path];
  if (help === undefined) throw new Error(`no description for ${row.variant ? `${row.variant}:` : ''}${row.path} in engine/src/config/field-help.ts`);
  return help;
}

const VARIANT_ROOT = /^(spec\.(?:source|sinks\[\]|processors\[\]))\.(.*)$/;

/** Within a source, sink or processor section, paths are shown from the list item on. */
function shownPath(row: FieldRow): string {
  const m = VARIANT_ROOT.exec(row.path);
  return row.variant !== null && m ? m[2]! : row.path;
}

/** The line under a source, sink or processor heading that says where its fields go. */
function scopeOf(row: FieldRow): string {
  const root = row.variant !== null ? VARIANT_ROOT.exec(row.path)?.[1] : undefined;
  if (!root) return '';
  return root.endsWith('[]') ? `\n\nAn entry of \`${root.slice(0, -2)}\` with \`type: ${row.variant}\`.` : `\n\n\`${root}\` with \`type: ${row.variant}\`.`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** docs/configuration.md, generated from the zod schema (`npm run docs:config`); a test fails when they drift. */
export function renderConfigurationMarkdown(): string {
  const sections = new Map<string, FieldRow[]>();
  for (const row of schemaFields(pipelineSpec)) sections.set(row.section, [...(sections.get(row.section) ?? []), row]);
  const body = [...sections]
    .map(([title, rows]) => {
      const scope = scopeOf(rows[0]!);
      const table = rows.map((r) => `| \`${shownPath(r)}\` | ${cell(r.type)} | ${r.required ? 'required' : r.default === null ? '—' : `\`${cell(r.default)}\``} | ${cell(helpOf(r))} |`).join('\n');
      return `## ${title}${scope}\n\n| Field | Type | Default | Meaning |\n|---|---|---|---|\n${table}\n`;
    })
    .join('\n');
  return `# Pipeline configuration

A pipeline is one YAML document (several may share a file, separated by \`---\`; \`--config\` may
also name a directory of \`.yaml\`/\`.yml\` files). It follows the DeltaForge \`PipelineSpec\`.
This file is generated from the engine's schema (\`engine/src/config/\`) by
\`npm run docs:config\`; a test fails when the two differ, so every field below is one the engine
accepts, with the type and default it applies.

- Unknown fields and bad values are rejected when the file is loaded, with the file, the YAML
  path and the reason (\`TIDEMARK_ERR_CONFIG_INVALID\`), and a "did you mean" for misspelt keys.
- \`\${VAR}\` and \`\${VAR:-default}\` are replaced from the environment when the file is loaded;
  any other \`\${...}\` (\`\${source.table}\`, \`\${after.id}\` ...) is left for the sinks' routing
  templates, resolved per event.
- Secrets (DSN passwords, tokens) are redacted in logs and API responses.

## Example

\`\`\`yaml
${CONFIGURATION_EXAMPLE}\`\`\`

Save it as \`pipelines/orders.yaml\`, then:

\`\`\`sh
export MYSQL_DSN='mysql://cdc:secret@127.0.0.1:3306/shop'
npx tidemark validate --config pipelines/          # checks every field; prints what it would run
npx tidemark run --config pipelines/ --data-dir ./tidemark-data
curl -s localhost:8080/health                      # the control plane (docs/api.md)
\`\`\`

MySQL needs the binlog in ROW format (docs/sources/mysql.md). The Kafka sink writes each batch
and its checkpoint in one transaction (docs/sinks/kafka.md); Redis is not \`required\`, so a Redis
outage does not hold back the checkpoints (docs/sinks/redis.md); poison events go to the DLQ
journal, and with \`overflow_policy: reject\` those that do not fit are counted (docs/dlq.md).

${body}`;
}
