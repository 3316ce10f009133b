import { ERROR_CODES } from './registry.js';

/** docs/errors.md, generated from the registry (`npm run docs:errors`); a test fails when they drift. */
export function renderErrorsMarkdown(): string {
  const rows = Object.entries(ERROR_CODES)
    .map(([code, d]) => `| \`${code}\` | ${d.kind} | ${d.remedy} | ${d.help.replace(/\|/g, '\\|')} |`)
    .join('\n');
  return `# Error codes

Every error Tidemark reports to an operator carries one of these codes, in logs (\`err.code\`),
in \`/health\` and in API error bodies. This file is generated from
\`engine/src/errors/codes/\` by \`npm run docs:errors\`; a test fails when the two differ.

- **kind** is how the engine reacts: \`retryable\` (backs off and retries, nothing advances
  meanwhile), \`non-retryable\` (fails the operation; the pipeline stops if the component
  gates commits), \`fatal\` (the pipeline stops at once and \`/health\` reports it), \`poison\`
  (one event is at fault: it goes to the DLQ when \`spec.journal\` is enabled).
- **remedy** is what fixes it: \`retry\`, \`reconnect\`, \`resnapshot\`, \`dlq\`, \`fix-config\`, \`fatal\`.

| Code | Kind | Remedy | What it means and what to do |
|---|---|---|---|
${rows}
`;
}
