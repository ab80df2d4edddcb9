import { z } from "zod";

/**
 * The execution-engine contract (docs/upstream-compat.md §6.7, docs/architecture.md §8): what ark-controller's
 * worker POSTs to `<ExecutionEngine address>/execute` for an Agent with `spec.executionEngine`, and what an engine
 * (executor-langchain, or one a user writes in any language) answers. Upstream's request and response, plus a
 * versioned extension: `contractVersion`, the `run` block, `toolCallback` (the agent's tools run in ARK) and
 * streaming as NDJSON lines (`Content-Type: application/x-ndjson`).
 */

export const ENGINE_CONTRACT_VERSION = "1";
export const NDJSON_CONTENT_TYPE = "application/x-ndjson";

export const EngineMessage = z.object({
  role: z.string().describe("user, assistant, system or tool; unknown roles are read as user, as upstream."),
  content: z.string(),
  name: z.string().optional(),
});
export type EngineMessage = z.output<typeof EngineMessage>;

export const EngineParameter = z.object({ name: z.string(), value: z.string() });

/**
 * The agent's model with every Secret resolved: `config.<type>` holds `baseUrl`, `apiKey`, `apiVersion` (azure),
 * bedrock's credentials, `properties` (temperature, max_tokens…, as strings) — upstream leaves properties out — and
 * `headers` (name → value, resolved) to send on every call to the model.
 */
export const EngineModel = z.object({
  name: z.string().describe("The provider's model id (the Azure deployment)."),
  type: z.string().describe("openai, azure, anthropic, gemini, ollama or bedrock."),
  config: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type EngineModel = z.output<typeof EngineModel>;

export const EngineAgent = z.object({
  name: z.string(),
  namespace: z.string(),
  prompt: z.string().describe("The system prompt, parameters already applied."),
  description: z.string().default(""),
  parameters: z.array(EngineParameter).optional(),
  model: EngineModel,
  outputSchema: z.record(z.string(), z.unknown()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export type EngineAgent = z.output<typeof EngineAgent>;

export const EngineTool = z.object({
  name: z.string(),
  description: z.string().default(""),
  parameters: z.record(z.string(), z.unknown()).describe("JSON Schema of the arguments."),
});
export type EngineTool = z.output<typeof EngineTool>;

/** Extension: which query this execution belongs to, and how long it may take. */
export const EngineRun = z.object({
  id: z.string().min(1).describe("This execution; POST <address>/cancel names it."),
  query: z.object({ name: z.string(), namespace: z.string(), uid: z.string().optional() }),
  timeoutSeconds: z.number().positive().optional().describe("What is left of the query's timeout."),
});
export type EngineRun = z.output<typeof EngineRun>;

/** Extension: where the engine runs the agent's tools (ARK's HTTP, MCP and built-in tools, with ARK's limits). */
export const EngineToolCallback = z.object({
  url: z.string().describe("POST here with `Authorization: Bearer <token>`."),
  token: z.string().min(1).describe("Valid for this run's tools until the run ends."),
});
export type EngineToolCallback = z.output<typeof EngineToolCallback>;

export const ExecutionEngineRequest = z.object({
  contractVersion: z.string().optional().describe(`"${ENGINE_CONTRACT_VERSION}" from ARK; absent from upstream controllers.`),
  agent: EngineAgent,
  userInput: EngineMessage,
  history: z.array(EngineMessage).default([]),
  tools: z.array(EngineTool).optional(),
  run: EngineRun.optional(),
  toolCallback: EngineToolCallback.optional(),
});
export type ExecutionEngineRequest = z.output<typeof ExecutionEngineRequest>;
export type ExecutionEngineRequestInput = z.input<typeof ExecutionEngineRequest>;

export const EngineTokenUsage = z.object({
  prompt_tokens: z.int().min(0).default(0),
  completion_tokens: z.int().min(0).default(0),
  total_tokens: z.int().min(0).default(0),
});
export type EngineTokenUsage = z.output<typeof EngineTokenUsage>;

export const ExecutionEngineResponse = z.object({
  messages: z.array(EngineMessage),
  error: z.string().optional().describe("Non-empty: the execution failed; the query's error names it."),
  token_usage: EngineTokenUsage.optional(),
});
export type ExecutionEngineResponse = z.output<typeof ExecutionEngineResponse>;

/** Streaming (extension): the body is one JSON object per line; `result` comes last, once. */
export const EngineStreamLine = z.discriminatedUnion("type", [
  z.object({ type: z.literal("content"), content: z.string() }),
  z.object({ type: z.literal("tool_call"), id: z.string(), name: z.string(), arguments: z.string().default("{}") }),
  z.object({ type: z.literal("tool_result"), id: z.string(), name: z.string(), content: z.string(), isError: z.boolean().default(false) }),
  ExecutionEngineResponse.extend({ type: z.literal("result") }),
]);
export type EngineStreamLine = z.output<typeof EngineStreamLine>;

export const EngineCancelRequest = z.object({ runId: z.string().min(1) });

/** What an engine POSTs to `toolCallback.url`. */
export const ToolCallbackRequest = z.object({
  name: z.string().min(1).describe("One of the request's tools."),
  arguments: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .default("{}")
    .describe("JSON text or an object."),
  toolCallId: z.string().optional(),
});
export type ToolCallbackRequest = z.output<typeof ToolCallbackRequest>;

export const ToolCallbackResponse = z.object({
  content: z.string(),
  isError: z.boolean(),
});
export type ToolCallbackResponse = z.output<typeof ToolCallbackResponse>;

/** `GET <address>/health` of an engine: 2xx means available; the rest is informational. */
export const EngineHealth = z.object({ status: z.string().optional(), engine: z.string().optional(), contractVersion: z.string().optional(), streaming: z.boolean().optional() }).passthrough();
