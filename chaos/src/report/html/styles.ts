/** Inline CSS: the report is one file with no external assets. */
export const STYLES = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --unknown: #9a6700; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 24px 32px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0; }
.meta, .muted { color: var(--muted); }
.summary-line { font-size: 16px; font-weight: 600; margin: 12px 0 20px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; background: #f6f8fa; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.badge.valid, .badge.passed { background: var(--ok); }
.badge.invalid, .badge.failed { background: var(--bad); }
.badge.unknown { background: var(--unknown); }
section.run { border: 1px solid var(--line); border-radius: 6px; padding: 16px 20px; margin: 0 0 24px; }
section.run > header { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
.error { color: var(--bad); white-space: pre-wrap; }
details { margin: 2px 0; }
summary { cursor: pointer; color: var(--muted); }
pre, code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: #f6f8fa; padding: 8px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure.chart-box { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { background: #fff; border: 1px solid var(--line); border-radius: 4px; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .tick, svg .legend, svg .axis-label, svg .empty { font-size: 11px; fill: var(--muted); }
svg .series { fill: none; stroke-width: 1.8; }
svg .series.dashed { stroke-dasharray: 5 3; }
svg .fault-window { fill: rgba(207, 34, 46, 0.12); stroke: rgba(207, 34, 46, 0.45); stroke-width: 0.5; }
svg .fault-label { font-size: 10px; fill: #a40e26; }
`;
