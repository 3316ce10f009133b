/** The page shell: the app is web/main.js (compiled from web/*.ts); uPlot comes from node_modules. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tidemark playground</title>
<link rel="stylesheet" href="/vendor/uplot.css">
<link rel="stylesheet" href="/assets/styles.css">
<script type="importmap">{ "imports": { "uplot": "/vendor/uplot.js" } }</script>
<script type="module" src="/assets/main.js"></script>
</head><body>
<header id="top"></header>
<main id="app"><p class="muted">Loading…</p></main>
</body></html>
`;
}
