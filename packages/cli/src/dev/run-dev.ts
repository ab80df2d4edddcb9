import { resolve } from "node:path";
import { openQueryBus } from "@ark/bus";
import { embeddedDataDir, initTelemetry, loadConfig, logLevels, telemetryConfigShape, telemetryOptions, type LogLevel, type Telemetry } from "@ark/service-kit";
import { z } from "zod";
import type { QueryEvent } from "@ark/types";
import { probe } from "../client/probe.js";
import { devApiKeyPath } from "./admin-key.js";
import { devBindHost } from "./bind-host.js";
import { ensureDefaultModel, ensureServiceResource, SEEDED_SERVICES } from "./default-resources.js";
import { createDevLogger } from "./dev-logger.js";
import { mockModelPlan, modelPlanFromEnv } from "./model-provider.js";
import { servicePort } from "./ports.js";
import { stackServices } from "./services.js";
import { StackInterrupted, startStack, type RunningStack } from "./stack.js";
import type { RunningEntry, StackContext } from "./stack-context.js";
import { removeStackFile, writeStackFile } from "./stack-file.js";
import { formatStackSummary } from "./summary.js";

export interface DevOptions {
  verbose: boolean;
  env?: Record<string, string | undefined>;
}

/** `ark dev`: the whole stack in this process until SIGINT/SIGTERM; resolves with the exit code. */
export async function runDev(options: DevOptions): Promise<number> {
  // PORT is per service here (ports.ts); HOST is the stack's (bind-host.ts), never an exported one.
  const { PORT: _port, HOST: _host, ...env } = options.env ?? process.env;
  let host: string;
  try {
    host = devBindHost(env, (warning) => process.stderr.write(`${warning}\n`));
  } catch (err) {
    process.stderr.write(`ark dev: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  const arkHome = resolve(env.ARK_HOME ?? ".ark");
  const level = (logLevels as readonly string[]).includes(env.LOG_LEVEL ?? "") ? (env.LOG_LEVEL as LogLevel) : "info";
  const { logger, logFile } = createDevLogger(arkHome, level, options.verbose);
  // One OpenTelemetry SDK for every in-process service, from the same OTEL_* variables a service alone reads.
  let telemetry: Telemetry;
  try {
    telemetry = await initTelemetry(telemetryOptions(loadConfig(z.object(telemetryConfigShape), env), "ark"));
  } catch (err) {
    process.stderr.write(`ark dev: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  // The same stream and subject names the controller reads from NATS_STREAM_PREFIX / NATS_SUBJECT_PREFIX.
  const opened = await openQueryBus<QueryEvent>({
    natsUrl: env.NATS_URL,
    ...(env.NATS_STREAM_PREFIX ? { streamPrefix: env.NATS_STREAM_PREFIX } : {}),
    ...(env.NATS_SUBJECT_PREFIX ? { subjectPrefix: env.NATS_SUBJECT_PREFIX } : {}),
  });
  const ctx: StackContext = { env, host, arkHome, logger, bus: opened.bus, port: (name) => servicePort(name, env), urls: new Map() };

  let stack: RunningStack | undefined;
  const interrupt = new AbortController();
  const shutdown = onStopSignal(interrupt, async () => {
    const errors = stack ? await stack.stop() : [];
    await opened.bus.close().catch((err: unknown) => errors.push(err instanceof Error ? err : new Error(String(err))));
    await removeStackFile(arkHome);
    await telemetry.shutdown().catch(() => undefined);
    for (const err of errors) process.stderr.write(`stop: ${err.message}\n`);
    return errors.length === 0 ? 0 : 1;
  });

  process.stderr.write(`starting the ARK dev stack (state in ${arkHome})…\n`);
  try {
    stack = await startStack(stackServices, ctx, interrupt.signal);
  } catch (err) {
    await opened.bus.close().catch(() => undefined);
    if (err instanceof StackInterrupted) return 0;
    process.stderr.write(`ark dev: ${err instanceof Error ? err.message : String(err)}\nlogs: ${logFile}\n`);
    return 1;
  }
  if (interrupt.signal.aborted) return shutdown.run();
  shutdown.running();
  const started = stack;
  const running = new Map(started.services.flatMap((s) => (s.state === "running" ? [[s.name, s.running] as const] : [])));

  try {
    const modelLine = await seedDefaults(ctx, running);
    const caPem = ctx.apiCaPem;
    const readiness = await probeAll(running, caPem);
    await writeStackFile(arkHome, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      ...(ctx.kubeconfigPath ? { kubeconfig: ctx.kubeconfigPath } : {}),
      ...(caPem ? { ca: caPem } : {}),
      services: [...running].map(([name, r]) => ({ name, url: r.url, ...(r.readyUrl ? { readyUrl: r.readyUrl } : {}) })),
    });
    process.stdout.write(
      `${formatStackSummary({
        services: started.services,
        readiness,
        kubeconfigPath: ctx.kubeconfigPath,
        database: await describeDatabase(env, arkHome),
        bus: opened.kind === "memory" ? "in-process (NATS_URL unset)" : `NATS JetStream at ${env.NATS_URL}`,
        defaultModel: modelLine,
        mockModel: running.has("mock-model"),
        logFile,
        apiKeyFile: running.has("ark-api") && env.ARK_API_AUTH !== "none" ? devApiKeyPath(arkHome) : undefined,
      })}\n\nARK dev stack ready. Ctrl-C stops it.\n`,
    );
  } catch (err) {
    process.stderr.write(`ark dev: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown.run();
    return 1;
  }
  return shutdown.done;
}

async function seedDefaults(ctx: StackContext, running: ReadonlyMap<string, RunningEntry>): Promise<string> {
  const kc = ctx.kubeConfig;
  if (!kc) return "(no API)";
  const mock = running.get("mock-model");
  const plan = modelPlanFromEnv(ctx.env) ?? (mock ? mockModelPlan(mock.url) : undefined);
  let modelLine = "none: no provider configured and the mock model did not start";
  if (plan) {
    const outcome = await ensureDefaultModel(kc, plan);
    modelLine =
      outcome === "user" ? "default/default (your own Model, left as it is)" : `default/default → ${plan.provider === "mock" ? "MOCK model" : plan.provider} ${plan.model} at ${plan.baseUrl} (${plan.source}; ${outcome})`;
  }
  for (const service of SEEDED_SERVICES) {
    const entry = running.get(service);
    if (entry) await ensureServiceResource(kc, service, entry.url);
  }
  return modelLine;
}

async function probeAll(running: ReadonlyMap<string, RunningEntry>, ca: string | undefined): Promise<Map<string, boolean>> {
  const results = await Promise.all([...running].map(async ([name, r]) => [name, r.readyUrl ? (await probe(r.readyUrl, ca ? { ca } : {})).ok : true] as const));
  return new Map(results);
}

async function describeDatabase(env: Record<string, string | undefined>, arkHome: string): Promise<string> {
  if (!env.DATABASE_URL) return `embedded PostgreSQL under ${await embeddedDataDir(arkHome)} (DATABASE_URL unset)`;
  const url = new URL(env.DATABASE_URL);
  return `PostgreSQL from DATABASE_URL (${url.host}${url.pathname})`;
}

/**
 * SIGINT/SIGTERM: while starting, abort the start (what started is stopped); once `running()`, run `stop` once.
 * A second signal exits at once.
 */
function onStopSignal(interrupt: AbortController, stop: () => Promise<number>) {
  let stopping: Promise<number> | undefined;
  let isRunning = false;
  let settle: (code: number) => void = () => {};
  const done = new Promise<number>((resolveDone) => (settle = resolveDone));
  const run = () => {
    stopping ??= stop().then((code) => {
      settle(code);
      return code;
    });
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) {
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(1);
    }
    process.stderr.write(`\n${signal}: stopping the ARK dev stack…\n`);
    interrupt.abort();
    if (isRunning) void run();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    run,
    done,
    running() {
      isRunning = true;
    },
  };
}
