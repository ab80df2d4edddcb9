import { pino, type Logger } from "pino";
import type { LogLevel } from "../config/common.js";
import { traceLogFields } from "../telemetry/log-fields.js";

/**
 * A JSON pino logger; with a name, every line carries `service`. Pass it to createService({ logger }); a composition
 * root running several services gives no name, and each service adds its own.
 */
export function createLogger({ name, level = "info" }: { name?: string; level?: LogLevel } = {}): Logger {
  const root = pino({ level, base: { pid: process.pid }, mixin: traceLogFields });
  return name ? root.child({ service: name }) : root;
}

/** The logging methods the non-HTTP helpers need; any pino or fastify logger fits. */
export type Log = Pick<Logger, "debug" | "info" | "warn" | "error">;

export const silentLog: Log = pino({ level: "silent" });
