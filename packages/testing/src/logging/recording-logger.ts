/** One logged line: its level, message and the object logged with it. */
export interface RecordedLogLine {
  level: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  msg: string;
  fields: Record<string, unknown>;
}

const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

type LogFn = (first: unknown, message?: string, ...rest: unknown[]) => void;

/** The shape of a pino logger that fastify and the services use. */
export type RecordingLog = { [level in RecordedLogLine["level"] | "silent"]: LogFn } & {
  level: string;
  bindings(): Record<string, unknown>;
  child(bindings: Record<string, unknown>): RecordingLog;
  isLevelEnabled(level: string): boolean;
};

/** A logger for a service under test (createService's `logger`) that keeps every line, children's included, in `lines`. */
export function recordingLogger(): { lines: RecordedLogLine[]; logger: RecordingLog } {
  const lines: RecordedLogLine[] = [];
  const make = (bindings: Record<string, unknown>): RecordingLog => {
    const logger: Record<string, unknown> = {
      level: "trace",
      bindings: () => bindings,
      child: (more: Record<string, unknown>) => make({ ...bindings, ...more }),
      isLevelEnabled: () => true,
      silent: () => undefined,
    };
    for (const level of LEVELS) {
      logger[level] = (first: unknown, message?: string) => {
        const fields = typeof first === "object" && first !== null ? (first as Record<string, unknown>) : {};
        lines.push({ level, msg: typeof first === "string" ? first : (message ?? ""), fields: { ...bindings, ...fields } });
      };
    }
    return logger as RecordingLog;
  };
  return { lines, logger: make({}) };
}
