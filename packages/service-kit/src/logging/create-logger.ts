import { pino, type Logger } from "pino";
import type { LogLevel } from "../config/common.js";

/** A JSON pino logger with the service name on every line; pass it to createService({ logger }) to share one. */
export function createLogger({ name, level = "info" }: { name: string; level?: LogLevel }): Logger {
  return pino({ level, base: { service: name, pid: process.pid } });
}

/** The logging methods the non-HTTP helpers need; any pino or fastify logger fits. */
export type Log = Pick<Logger, "debug" | "info" | "warn" | "error">;

export const silentLog: Log = pino({ level: "silent" });
