import { setTimeout as delay } from "node:timers/promises";
import type { z } from "zod";
import type { CommonServiceConfig } from "../config/common.js";
import { ConfigError, loadConfig } from "../config/load-config.js";
import type { Service } from "../http/create-service.js";
import { initTelemetry, telemetryOptions } from "../telemetry/init-telemetry.js";

type ServiceEnvSchema = z.ZodObject & { _zod: { output: CommonServiceConfig } };

export interface RunServiceOptions {
  env?: Record<string, string | undefined>;
  signals?: NodeJS.Signals[];
}

function withTimeout(work: Promise<void>, ms: number): Promise<"done" | "timeout"> {
  const timer = new AbortController();
  const timeout = delay(ms, "timeout" as const, { signal: timer.signal });
  return Promise.race([work.then(() => "done" as const), timeout]).finally(() => timer.abort());
}

/**
 * The whole of a service's main.ts: load config (exit 1 naming bad variables), start, and on SIGTERM/SIGINT
 * stop gracefully within SHUTDOWN_TIMEOUT_MS (exit 0; exit 1 on timeout or failure). A second signal exits at once.
 */
export async function runService<S extends ServiceEnvSchema>(schema: S, createServiceFromConfig: (config: z.output<S>) => Service | Promise<Service>, options: RunServiceOptions = {}): Promise<void> {
  let config: z.output<S>;
  try {
    config = loadConfig(schema, options.env ?? process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }

  let service: Service;
  try {
    service = await createServiceFromConfig(config);
  } catch (err) {
    process.stderr.write(`failed to create the service: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  }
  const log = service.log;
  const telemetry = await initTelemetry(telemetryOptions(config, service.name));

  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    shuttingDown = true;
    log.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutting down");
    const work = service.stop().then(() => telemetry.shutdown());
    withTimeout(work, config.SHUTDOWN_TIMEOUT_MS).then(
      (outcome) => {
        if (outcome === "timeout") log.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out");
        else log.info("stopped");
        process.exit(outcome === "done" ? 0 : 1);
      },
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  for (const signal of options.signals ?? ["SIGTERM", "SIGINT"]) process.on(signal, onSignal);

  try {
    await service.start();
  } catch (err) {
    log.fatal({ err }, "failed to start");
    await service.stop().catch(() => undefined);
    process.exit(1);
  }
}
