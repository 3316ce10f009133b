import { LOG_LEVELS, type Logger, type LogLevel } from '../logging/logger.js';

/**
 * Changes the level of a logger and of every child derived from it. pino copies the level
 * into a child when it is created and never propagates later changes, so the pipelines'
 * child loggers are tracked (weakly) and updated too.
 */
export class LogLevelControl {
  private readonly children = new Set<WeakRef<Logger>>();

  constructor(private readonly root: Logger) {
    // Children are created with Object.create(parent), so this reaches grandchildren as well.
    root.onChild = (child) => {
      this.children.add(new WeakRef(child as Logger));
    };
  }

  get level(): LogLevel {
    return this.root.level as LogLevel;
  }

  set(level: LogLevel): void {
    if (!LOG_LEVELS.includes(level)) throw new Error(`unknown log level ${level}`);
    this.root.level = level;
    for (const ref of this.children) {
      const child = ref.deref();
      if (child) child.level = level;
      else this.children.delete(ref);
    }
  }
}
