import { PassThrough } from "node:stream";
import { timingSafeEqual } from "node:crypto";
import { ArkError, createService, listen, loadConfig, type CreateServiceOptions, type Service, type ServiceApp } from "@ark/service-kit";
import { EngineCancelRequest, ExecutionEngineRequest, NDJSON_CONTENT_TYPE, type EngineStreamLine, type ExecutionEngineResponse } from "@ark/types";
import { runLangChainAgent, type RunSink } from "./agent.js";
import { executorConfig, type ExecutorConfig } from "./config.js";
import { engineOpenApi } from "./openapi.js";

export { executorConfig, type ExecutorConfig } from "./config.js";

export interface ExecutorServiceOptions {
  logger?: CreateServiceOptions<ExecutorConfig>["logger"];
}

export interface RunningExecutor {
  url: string;
  service: Service<ExecutorConfig>;
  stop(): Promise<void>;
}

/** Starts executor-langchain in this process (the dev stack's entry point); `config` as from the environment. */
export async function start(config: ExecutorConfig = loadConfig(executorConfig), options: ExecutorServiceOptions = {}): Promise<RunningExecutor> {
  const service = createExecutorService(config, options);
  const { url, stop } = await listen(service);
  return { url, service, stop };
}

/** The engine contract (README "Engine contract"): POST /execute, POST /cancel, GET /openapi.json. */
export function createExecutorService(config: ExecutorConfig, options: ExecutorServiceOptions = {}): Service<ExecutorConfig> {
  const runs = new Map<string, AbortController>();
  const service = createService({
    name: "executor-langchain",
    config,
    ...(options.logger ? { logger: options.logger } : {}),
    register: (app) => registerRoutes(app, config, runs),
  });
  // Shutdown ends the runs still going: their callers see the connection close.
  service.onShutdown(() => {
    for (const run of runs.values()) run.abort(new Error("executor-langchain is shutting down"));
  });
  return service;
}

function registerRoutes(app: ServiceApp, config: ExecutorConfig, runs: Map<string, AbortController>): void {
  const expected = config.ENGINE_AUTH === "token" && config.ENGINE_TOKEN ? Buffer.from(config.ENGINE_TOKEN) : undefined;
  const authenticate = async (request: { headers: { authorization?: string | undefined } }): Promise<void> => {
    if (!expected) return;
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ArkError("UNAUTHENTICATED", "missing or wrong bearer token (ENGINE_TOKEN)");
  };

  app.get("/openapi.json", async () => engineOpenApi());

  app.post("/cancel", { onRequest: authenticate, schema: { body: EngineCancelRequest } }, async (request) => {
    const run = runs.get(request.body.runId);
    run?.abort(new Error("canceled by the caller"));
    return { canceled: run !== undefined };
  });

  app.post("/execute", { onRequest: authenticate, schema: { body: ExecutionEngineRequest } }, async (request, reply) => {
    const body = request.body;
    const runId = body.run?.id ?? `run-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const controller = new AbortController();
    runs.set(runId, controller);
    const timeout = body.run?.timeoutSeconds ? AbortSignal.timeout(body.run.timeoutSeconds * 1000) : undefined;
    const signal = timeout ? AbortSignal.any([controller.signal, timeout]) : controller.signal;
    // The caller going away (the query was canceled or timed out) stops the run.
    const onClose = (): void => {
      if (!reply.raw.writableEnded) controller.abort(new Error("the caller closed the connection"));
    };
    reply.raw.on("close", onClose);
    const done = (): void => {
      runs.delete(runId);
      reply.raw.off("close", onClose);
    };
    const where = `agent ${body.agent.namespace}/${body.agent.name}`;
    const run = async (sink: RunSink): Promise<ExecutionEngineResponse> => {
      try {
        return await runLangChainAgent(body, sink, signal);
      } catch (error) {
        request.log.warn({ err: error, agent: where, runId }, "execution failed");
        const reason = signal.aborted ? `canceled (${(signal.reason as Error)?.message ?? "aborted"})` : (error as Error).message;
        return { messages: [], error: `LangChain execution failed for ${where}: ${reason}` };
      }
    };

    if (!(request.headers.accept ?? "").includes(NDJSON_CONTENT_TYPE)) {
      try {
        return await run({ content: () => undefined, toolCall: () => undefined, toolResult: () => undefined });
      } finally {
        done();
      }
    }
    const stream = new PassThrough();
    const write = (line: EngineStreamLine): void => {
      if (!stream.writableEnded) stream.write(`${JSON.stringify(line)}\n`);
    };
    void run({
      content: (content) => write({ type: "content", content }),
      toolCall: (id, name, args) => write({ type: "tool_call", id, name, arguments: args }),
      toolResult: (id, name, content, isError) => write({ type: "tool_result", id, name, content, isError }),
    })
      .then((result) => {
        write({ type: "result", ...result });
        stream.end();
      })
      .finally(done);
    return reply.header("content-type", NDJSON_CONTENT_TYPE).header("cache-control", "no-store").send(stream);
  });
}
