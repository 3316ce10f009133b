/** The page's CSS, served as /assets/styles.css (kept with the server: nothing to copy at build). */
export const STYLES = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
header#top { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; padding: 8px 20px; border-bottom: 1px solid var(--line); background: var(--bg); position: sticky; top: 0; z-index: 10; }
header h1 { font-size: 17px; margin: 0; }
nav { display: flex; gap: 4px; margin-left: auto; }
nav button { border: 1px solid var(--line); background: #fff; padding: 4px 12px; border-radius: 6px; cursor: pointer; }
nav button.active { background: #0969da; color: #fff; border-color: #0969da; }
main { padding: 12px 20px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; margin: 0 0 14px; }
h2 { font-size: 15px; margin: 0 0 8px; } h3 { font-size: 13px; margin: 10px 0 6px; } h4 { margin: 6px 0; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
.mono, code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--bg); padding: 8px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
pre.log { max-height: 260px; overflow: auto; }
pre.result-pane { max-height: 480px; overflow: auto; }
.muted { color: var(--muted); } .bad { color: var(--bad); } .good { color: var(--ok); }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.healthy, .badge.valid, .badge.passed, .badge.ready { background: var(--ok); }
.badge.down, .badge.invalid, .badge.failed, .badge.error { background: var(--bad); }
.badge.proxy-down, .badge.unknown, .badge.starting, .badge.running, .badge.stopped, .badge.interrupted, .badge.checking { background: var(--warn); }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
button:hover { background: var(--bg); } button.primary { background: #1f883d; color: #fff; border-color: #1f883d; }
button.small { padding: 1px 6px; font-size: 12px; } button[disabled] { opacity: .4; cursor: not-allowed; }
.actions { display: inline-flex; gap: 3px; flex-wrap: wrap; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 6px 0; }
.presets { display: flex; flex-wrap: wrap; gap: 6px; }
.params label { margin-right: 6px; } .params input { width: 90px; }
ul.faults, ul.problems { margin: 4px 0; padding-left: 18px; }
ul.faults li { margin: 2px 0; } ul.faults li button { margin-left: 8px; }
.slider input { vertical-align: middle; width: 140px; }
.charts { display: flex; flex-wrap: wrap; gap: 14px; }
figure.chart { margin: 0; } figure.chart figcaption { font-weight: 600; }
.latest { display: flex; gap: 10px; flex-wrap: wrap; font-size: 12px; }
textarea { width: 100%; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; border: 1px solid var(--line); border-radius: 6px; padding: 6px; }
.ab-editors { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.toast { flex-basis: 100%; font-size: 12px; } .toast.error { color: var(--bad); } .toast.info { color: var(--ok); }
`;
