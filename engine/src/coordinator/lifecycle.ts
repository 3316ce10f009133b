/** Pipeline states and the only transitions allowed between them (kafkajs' eosManager is the model). */
export type PipelineState = 'created' | 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'failed';

const LEGAL: Record<PipelineState, readonly PipelineState[]> = {
  created: ['starting', 'stopped', 'failed'],
  starting: ['running', 'stopping', 'failed'],
  running: ['paused', 'stopping', 'failed'],
  paused: ['running', 'stopping', 'failed'],
  stopping: ['stopped', 'failed'],
  stopped: [],
  failed: [],
};

export function canTransition(from: PipelineState, to: PipelineState): boolean {
  return LEGAL[from].includes(to);
}

export function isTerminal(state: PipelineState): boolean {
  return state === 'stopped' || state === 'failed';
}
