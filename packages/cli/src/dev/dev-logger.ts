import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pino, type Logger } from "pino";
import { traceLogFields, type LogLevel } from "@ark/service-kit";

/** Every service logs JSON to $ARK_HOME/logs/dev.log; warnings and errors also reach stderr (everything with --verbose). */
export function createDevLogger(arkHome: string, level: LogLevel, verbose: boolean): { logger: Logger; logFile: string } {
  const dir = join(arkHome, "logs");
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, "dev.log");
  const streams = pino.multistream([
    { level, stream: pino.destination({ dest: logFile, append: true, sync: true }) },
    { level: verbose ? level : "warn", stream: process.stderr },
  ]);
  return { logger: pino({ level, base: { pid: process.pid }, mixin: traceLogFields }, streams), logFile };
}
