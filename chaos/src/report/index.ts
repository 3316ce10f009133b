export * from './model.js';
export { renderJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderHtml } from './html/page.js';
export { lineChart, type ChartSpec, type ChartSeries, type ChartWindow } from './html/chart.js';
export { writeReports } from './write.js';
