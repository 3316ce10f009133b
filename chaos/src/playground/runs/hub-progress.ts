import type { TimelineSample } from '../../report/index.js';
import type { PlanProgress } from '../../runner/progress.js';
import type { Hub } from '../hub.js';

/** The runner's progress, streamed to every tab instead of a terminal. */
export class HubProgress implements PlanProgress {
  private faults = '';

  constructor(private readonly hub: Hub) {}

  begin(title: string): void {
    this.hub.updateRun({ title, phase: 'starting', activeFaults: [] });
    this.hub.runLog(`▶ ${title}`);
  }

  phase(name: string): void {
    this.hub.updateRun({ phase: name });
    this.hub.runLog(`  phase: ${name}`);
  }

  sample(sample: TimelineSample, activeFaults: readonly string[]): void {
    this.hub.runSample(sample);
    const key = activeFaults.join(',');
    if (key !== this.faults) {
      this.faults = key;
      this.hub.updateRun({ activeFaults: [...activeFaults] });
    }
  }

  log(message: string): void {
    this.hub.runLog(`  ${message}`);
  }

  end(line: string): void {
    for (const l of line.split('\n')) this.hub.runLog(l);
  }
}
