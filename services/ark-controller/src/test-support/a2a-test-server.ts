import type { Server } from "node:http";
import { Role, TaskState, type AgentCard, type Message, type Part } from "@a2a-js/sdk";
import { AgentEvent, DefaultExecutionEventBusManager, DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor, type ExecutionEventBus } from "@a2a-js/sdk/server";
import { jsonRpcHandler, UserBuilder } from "@a2a-js/sdk/server/express";
import express from "express";
import { freePort } from "@ark/service-kit";

/** What the remote agent does with a message. */
type TestA2AMode = "answer" | "input-required" | "fail" | "hang";

/** A real A2A server (the SDK's JSON-RPC handler on express) for the A2AServer and A2A-agent tests; its card and behaviour can change. */
export interface TestA2AServer {
  /** `http://127.0.0.1:<port>`, known before the server listens; JSON-RPC is POSTed to it. */
  url: string;
  /** The card's agent name; changing it is the remote offering another agent. */
  name: string;
  streaming: boolean;
  mode: TestA2AMode;
  /** The answer, sent as artifact chunks (streamed with a pause between them). */
  answer: string[];
  /** Instead of the card: this body at agent-card.json (a bad card), or 404 for both card paths. */
  cardOverride?: { status?: number; body: string } | "missing";
  /** Serve the card only at the 0.3 path `agent.json`. */
  legacyPathOnly: boolean;
  /** The text parts of every message received. */
  received: string[][];
  /** Task ids a CancelTask named. */
  canceled: string[];
  /** Values of the required header on every request. */
  headerValues: string[];
  /** The A2A-Version header of every JSON-RPC request ("" when absent). */
  versions: string[];
  listen(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestA2AServerOptions {
  name: string;
  description?: string;
  streaming?: boolean;
  requiredHeader?: { name: string; value: string };
  /** Pause between answer chunks. */
  chunkDelayMs?: number;
  /** "0.3": a 0.3 card (`url`, `protocolVersion`) and the 0.3 JSON-RPC methods (`message/send`, `message/stream`) only. */
  protocol?: "1.0" | "0.3";
}

const text = (value: string): Part => ({ content: { $case: "text", value }, metadata: undefined, filename: "", mediaType: "text/plain" });

/** The card as an A2A 0.3 server (the Python SDK's samples) writes it. */
function legacyCard(card: AgentCard): Record<string, unknown> {
  return {
    name: card.name,
    description: card.description,
    url: card.supportedInterfaces[0]?.url,
    preferredTransport: "JSONRPC",
    protocolVersion: "0.3.0",
    version: card.version,
    capabilities: { streaming: card.capabilities?.streaming ?? false },
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map((skill) => ({ id: skill.id, name: skill.name, description: skill.description, tags: skill.tags })),
  };
}

export async function startTestA2AServer(options: TestA2AServerOptions): Promise<TestA2AServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let http: Server | undefined;
  const hanging = new Map<string, () => void>();
  const state: TestA2AServer = {
    url,
    name: options.name,
    streaming: options.streaming ?? true,
    mode: "answer",
    answer: ["Sunny ", "in ", "Chicago"],
    legacyPathOnly: false,
    received: [],
    canceled: [],
    headerValues: [],
    versions: [],
    listen: async () => {},
    stop: async () => {},
  };

  const legacy = options.protocol === "0.3";
  const card = (): AgentCard => ({
    name: state.name,
    description: options.description ?? `The ${state.name} agent`,
    supportedInterfaces: [{ url, protocolBinding: "JSONRPC", protocolVersion: legacy ? "0.3" : "1.0", tenant: "" }],
    provider: undefined,
    version: "1.0.0",
    capabilities: { streaming: state.streaming, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ["text/plain"],
    defaultOutputModes: ["text/plain"],
    skills: [{ id: "weather", name: "Weather", description: "Tells the weather", tags: [], examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
    signatures: [],
  });

  const status = (bus: ExecutionEventBus, taskId: string, contextId: string, state: TaskState, said?: string): void => {
    const message: Message | undefined = said ? { messageId: `${taskId}-${state}`, contextId, taskId, role: Role.ROLE_AGENT, parts: [text(said)], metadata: undefined, extensions: [], referenceTaskIds: [] } : undefined;
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId, status: { state, message, timestamp: new Date().toISOString() }, metadata: undefined }));
  };

  const executor: AgentExecutor = {
    async execute(ctx, bus) {
      const { taskId, contextId } = ctx;
      state.received.push(ctx.userMessage.parts.map((part) => (part.content?.$case === "text" ? part.content.value : "")));
      bus.publish(AgentEvent.task({ id: taskId, contextId, status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: undefined }, artifacts: [], history: [ctx.userMessage], metadata: undefined }));
      status(bus, taskId, contextId, TaskState.TASK_STATE_WORKING);
      if (state.mode === "input-required") status(bus, taskId, contextId, TaskState.TASK_STATE_INPUT_REQUIRED, "Which city?");
      else if (state.mode === "fail") status(bus, taskId, contextId, TaskState.TASK_STATE_FAILED, "the weather service is down");
      else if (state.mode === "hang") await new Promise<void>((resolve) => hanging.set(taskId, resolve));
      else {
        for (const [index, chunk] of state.answer.entries()) {
          if (index > 0) await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs ?? 150));
          bus.publish(
            AgentEvent.artifactUpdate({
              taskId,
              contextId,
              artifact: { artifactId: "answer", name: "answer", description: "", parts: [text(chunk)], metadata: undefined, extensions: [] },
              append: index > 0,
              lastChunk: index === state.answer.length - 1,
              metadata: undefined,
            }),
          );
        }
        status(bus, taskId, contextId, TaskState.TASK_STATE_COMPLETED);
      }
      bus.finished();
    },
    async cancelTask(taskId, bus) {
      state.canceled.push(taskId);
      hanging.get(taskId)?.();
      hanging.delete(taskId);
      status(bus, taskId, "", TaskState.TASK_STATE_CANCELED);
      bus.finished();
    },
  };

  // One task store and event-bus manager for every request, so CancelTask reaches a task a stream started.
  const tasks = new InMemoryTaskStore();
  const buses = new DefaultExecutionEventBusManager();
  const app = express();
  app.use((req, res, next) => {
    const required = options.requiredHeader;
    if (!required) return next();
    const value = req.headers[required.name.toLowerCase()];
    state.headerValues.push(String(value ?? ""));
    if (value !== required.value) res.status(401).type("text/plain").send("missing or wrong header");
    else next();
  });
  const serveCard = (legacy: boolean) => (_req: express.Request, res: express.Response) => {
    const override = state.cardOverride;
    if (override === "missing" || legacy !== state.legacyPathOnly) return void res.status(404).send("not found");
    if (override)
      return void res
        .status(override.status ?? 200)
        .type("application/json")
        .send(override.body);
    res.json(legacy ? legacyCard(card()) : card());
  };
  app.get("/.well-known/agent-card.json", serveCard(false));
  app.get("/.well-known/agent.json", serveCard(true));
  // A handler per request: it reads the card once, and the card (streaming, name) follows the test's changes.
  app.post("/", (req, res, next) => {
    state.versions.push(String(req.headers["a2a-version"] ?? ""));
    const requestHandler = new DefaultRequestHandler(card(), tasks, executor, buses);
    void jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication, ...(legacy ? { legacyCompat: { enabled: true } } : {}) })(req, res, next);
  });

  state.listen = async () => {
    await new Promise<void>((resolve) => {
      http = app.listen(port, "127.0.0.1", () => resolve());
    });
  };
  state.stop = async () => {
    const running = http;
    http = undefined;
    if (!running) return;
    running.closeAllConnections();
    await new Promise<void>((resolve) => running.close(() => resolve()));
  };
  await state.listen();
  return state;
}
