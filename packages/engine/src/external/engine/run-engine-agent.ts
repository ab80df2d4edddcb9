import { randomUUID } from "node:crypto";
import { EngineStreamLine, ExecutionEngineResponse, NDJSON_CONTENT_TYPE, type EngineMessage, type ExecutionEngineResponse as EngineResponse } from "@ark/types";
import { abortError, EngineError } from "../../errors.js";
import { contextEmitter, type StepEvent } from "../../events/emit.js";
import type { AssistantMessage, ChatMessage } from "../../messages.js";
import { resolveModelConfig } from "../../providers/model-config.js";
import { sanitizeRemoteText } from "../../remote-text.js";
import { renderWithParameters } from "../../prompt-template.js";
import { resolveParameters } from "../../targets/parameters.js";
import { buildAgentTools } from "../../targets/agent-tools.js";
import type { AgentResource } from "../../targets/resolver.js";
import type { TargetAnswer, TargetRequest } from "../../targets/target-run.js";
import { zeroUsage, type TokenCount } from "../../usage.js";
import { setSpanContent, SpanKind, traced, traceHeaders } from "../../tracing.js";
import { engineRequest } from "./request.js";

/** Upstream's HTTP client timeout for `/execute`; the query's own timeout applies too. */
const ENGINE_REQUEST_TIMEOUT_MS = 300_000;
const CANCEL_TIMEOUT_MS = 5_000;
const DEFAULT_MODEL_NAME = "default";
const USER_AGENT = "ark-controller/execution-engine";

/**
 * An Agent with `spec.executionEngine` (not `a2a`), run by that engine (docs/upstream-compat.md §6.7 and
 * docs/architecture.md §8): `POST <address>/execute`, JSON or NDJSON back; its tools run in ARK through the tool
 * callback. A canceled or timed-out query aborts the request and tells the engine (`POST <address>/cancel`).
 */
export async function runEngineAgent(agent: AgentResource, request: TargetRequest): Promise<TargetAnswer & { tokenUsage: TokenCount }> {
  const ref = agent.spec.executionEngine!;
  const attributes = {
    "gen_ai.operation.name": "invoke_agent",
    "gen_ai.agent.name": `${agent.metadata.namespace ?? request.namespace}/${agent.metadata.name ?? ""}`,
    "ark.execution_engine": `${ref.namespace || agent.metadata.namespace || request.namespace}/${ref.name}`,
  };
  // The engine's own spans join this one through the traceparent of POST /execute (docs/architecture.md §9.1).
  return traced(
    "execution_engine.call",
    attributes,
    async (span) => {
      setSpanContent(span, { "langfuse.observation.input": () => request.input });
      const answer = await engineAgentRun(agent, request);
      span.setAttributes({ "gen_ai.usage.input_tokens": answer.tokenUsage.promptTokens, "gen_ai.usage.output_tokens": answer.tokenUsage.completionTokens });
      setSpanContent(span, { "langfuse.observation.output": () => answer.content });
      return answer;
    },
    SpanKind.CLIENT,
  );
}

async function engineAgentRun(agent: AgentResource, request: TargetRequest): Promise<TargetAnswer & { tokenUsage: TokenCount }> {
  const namespace = agent.metadata.namespace ?? request.namespace;
  const name = agent.metadata.name ?? "";
  const agentKey = `${namespace}/${name}`;
  const where = `agent ${agentKey}`;
  const ref = agent.spec.executionEngine!;
  const engineNamespace = ref.namespace || namespace;
  const engineKey = `${engineNamespace}/${ref.name}`;
  if (!request.resolver.getExecutionEngine) throw new EngineError("CONFIG_ERROR", `${where}: this worker cannot run execution engines`);
  const engine = await request.resolver.getExecutionEngine(engineNamespace, ref.name);
  if (!engine) throw new EngineError("CONFIG_ERROR", `${where}: spec.executionEngine: execution engine "${ref.name}" not found in namespace ${engineNamespace}`);
  if (!engine.address) throw new EngineError("CONFIG_ERROR", `${where}: execution engine ${engineKey} address not yet resolved`);
  const address = engine.address.replace(/\/+$/, "");
  const describe = `execution engine ${engineKey} at ${address}`;

  const modelRef = agent.spec.modelRef;
  const modelNamespace = modelRef?.namespace || namespace;
  const modelName = modelRef?.name || DEFAULT_MODEL_NAME;
  const model = await request.resolver.getModel(modelNamespace, modelName);
  if (!model) throw new EngineError("CONFIG_ERROR", `${where}: model "${modelName}" not found in namespace ${modelNamespace}`);
  const modelConfig = await resolveModelConfig({ namespace: modelNamespace, name: modelName }, model.spec, request.resolver.resolveValue);
  const tools = await buildAgentTools(agent, request);
  const parameters = agent.spec.parameters?.length ? await resolveParameters(agent.spec.parameters, namespace, request.resolver.configValues, request.queryParameters ?? {}) : undefined;
  const prompt = renderWithParameters(agent.spec.prompt ?? "", parameters, "prompt");

  const emit = contextEmitter(request.emit, { target: request.target, agent: agentKey });
  const relay = new ToolEventRelay(emit);
  const runId = randomUUID();
  const signal = request.signal;
  const callback = tools.size > 0 ? request.executionEngines?.toolCallbacks?.open({ tools, agent: agentKey, ...(signal ? { signal } : {}), emit: relay.from("callback") }) : undefined;
  const deadline = request.query?.deadline ? Date.parse(request.query.deadline) : undefined;
  const body = engineRequest({
    agent: { namespace, name, description: agent.spec.description, labels: agent.metadata.labels },
    prompt,
    parameters,
    outputSchema: agent.spec.outputSchema as Record<string, unknown> | undefined,
    model: modelConfig,
    tools,
    input: request.input,
    history: request.history ?? [],
    run: {
      id: runId,
      query: request.query ? { name: request.query.name, namespace: request.query.namespace, uid: request.query.uid } : undefined,
      timeoutSeconds: deadline !== undefined ? Math.max(1, Math.round((deadline - Date.now()) / 1000)) : undefined,
    },
    toolCallback: callback ? { url: callback.url, token: callback.token } : undefined,
  });

  const callId = randomUUID();
  const started = performance.now();
  emit?.({ type: "llm.call.started", callId, model: modelConfig.resource ?? modelConfig.model });
  const timeout = AbortSignal.timeout(ENGINE_REQUEST_TIMEOUT_MS);
  const requestSignal = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let finished = false;
  const tellEngine = (): void => {
    if (!finished) void cancelEngine(address, runId, request.executionEngines?.authToken);
  };
  signal?.addEventListener("abort", tellEngine, { once: true });
  try {
    const secrets = [modelConfig.apiKey, callback?.token, request.executionEngines?.authToken, ...Object.values(modelConfig.bedrock ?? {}).map(String)];
    const response = await postExecute(address, body, request.executionEngines?.authToken, secrets, requestSignal, describe, signal);
    const answer = await readAnswer(response, describe, requestSignal, signal, secrets, {
      onContent: request.stream && emit ? (chunk) => emit({ type: "content.delta", callId, chunk }) : undefined,
      onTool: relay.from("stream"),
    });
    if (answer.error) throw new EngineError("ENGINE_ERROR", `${where}: execution engine ${engineKey} error: ${sanitizeRemoteText(answer.error, { secrets })}`);
    const tokenUsage = usageOf(answer.token_usage);
    emit?.({ type: "llm.call.completed", callId, model: modelConfig.resource ?? modelConfig.model, tokenUsage, durationMs: performance.now() - started });
    const messages = answer.messages.map((message) => chatMessage(message, name));
    const last = [...messages].reverse().find((message) => message.role === "assistant") ?? messages.at(-1);
    return { content: typeof last?.content === "string" ? last.content : "", messages, tokenUsage };
  } catch (error) {
    const failure = error instanceof EngineError ? error : new EngineError("ENGINE_ERROR", `${where}: ${describe}: ${messageOf(error)}`, { cause: error });
    emit?.({ type: "llm.call.failed", callId, model: modelConfig.resource ?? modelConfig.model, message: failure.message, code: failure.code, durationMs: performance.now() - started });
    throw failure;
  } finally {
    finished = true;
    signal?.removeEventListener("abort", tellEngine);
    callback?.close();
  }
}

async function postExecute(
  address: string,
  body: unknown,
  token: string | undefined,
  secrets: readonly (string | undefined)[],
  requestSignal: AbortSignal,
  describe: string,
  runSignal: AbortSignal | undefined,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${address}/execute`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: `${NDJSON_CONTENT_TYPE}, application/json`,
        "user-agent": USER_AGENT,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...traceHeaders(),
      },
      body: JSON.stringify(body),
      signal: requestSignal,
    });
  } catch (error) {
    if (runSignal?.aborted) throw abortError(runSignal, describe);
    if (requestSignal.aborted) throw new EngineError("TIMEOUT", `${describe} did not answer within ${ENGINE_REQUEST_TIMEOUT_MS / 1000}s`, { cause: error });
    throw new EngineError("ENGINE_ERROR", `${describe} could not be reached: ${reasonOf(error)}`, { cause: error });
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    const detail = text ? `: ${sanitizeRemoteText(text, { max: 300, secrets })}` : "";
    throw new EngineError("ENGINE_ERROR", `${describe} returned error status ${response.status}${detail}`);
  }
  return response;
}

interface StreamHandlers {
  onContent?: ((chunk: string) => void) | undefined;
  onTool: (event: StepEvent) => void;
}

/** The JSON answer, or the NDJSON stream's lines as they come (content and tool events) up to its `result` line. */
async function readAnswer(
  response: Response,
  describe: string,
  requestSignal: AbortSignal,
  runSignal: AbortSignal | undefined,
  secrets: readonly (string | undefined)[],
  handlers: StreamHandlers,
): Promise<EngineResponse> {
  const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  try {
    if (type === NDJSON_CONTENT_TYPE) return await readStream(response, describe, secrets, handlers);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new EngineError("ENGINE_ERROR", `${describe} answered with something other than JSON (content-type ${type || "none"}): ${sanitizeRemoteText(text, { max: 200, secrets })}`);
    }
    return parseShape(ExecutionEngineResponse, json, describe, "response");
  } catch (error) {
    if (runSignal?.aborted) throw abortError(runSignal, describe);
    if (requestSignal.aborted) throw new EngineError("TIMEOUT", `${describe} did not finish within ${ENGINE_REQUEST_TIMEOUT_MS / 1000}s`, { cause: error });
    throw error;
  }
}

async function readStream(response: Response, describe: string, secrets: readonly (string | undefined)[], handlers: StreamHandlers): Promise<EngineResponse> {
  if (!response.body) throw new EngineError("ENGINE_ERROR", `${describe} sent an empty stream`);
  const decoder = new TextDecoder();
  let buffered = "";
  let streamed = "";
  let result: EngineResponse | undefined;
  const handle = (line: string): void => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new EngineError("ENGINE_ERROR", `${describe} sent a stream line that is not JSON: ${sanitizeRemoteText(line, { max: 200, secrets })}`);
    }
    const event = parseShape(EngineStreamLine, json, describe, "stream line");
    if (event.type === "content") {
      streamed += event.content;
      handlers.onContent?.(event.content);
    } else if (event.type === "tool_call") {
      handlers.onTool({ type: "tool.call.started", toolName: event.name, toolCallId: event.id, arguments: event.arguments });
    } else if (event.type === "tool_result") {
      handlers.onTool({ type: "tool.call.completed", toolName: event.name, toolCallId: event.id, result: event.content, isError: event.isError, durationMs: 0 });
    } else {
      const { type: _type, ...rest } = event;
      result = rest;
    }
  };
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      handle(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  }
  handle(buffered + decoder.decode());
  if (!result) throw new EngineError("ENGINE_ERROR", `${describe}: the stream ended without a result line`);
  if (result.messages.length === 0 && streamed && !result.error) result.messages = [{ role: "assistant", content: streamed }];
  return result;
}

function parseShape<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } },
  json: unknown,
  describe: string,
  what: string,
): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`);
  throw new EngineError("ENGINE_ERROR", `${describe} answered an unknown ${what} shape (${issues.join("; ")})`);
}

/**
 * Tool events reach the query once per call: a call is reported by whichever source reports it first — the tool
 * callback (the tool ran in ARK) or the engine's stream (a tool of the engine's own) — and the other's are dropped.
 */
class ToolEventRelay {
  private readonly owners = new Map<string, "callback" | "stream">();

  constructor(private readonly emit: ((event: StepEvent) => void) | undefined) {}

  from(source: "callback" | "stream"): (event: StepEvent) => void {
    return (event) => {
      if (event.type !== "tool.call.started" && event.type !== "tool.call.completed") return this.emit?.(event);
      const owner = this.owners.get(event.toolCallId);
      if (owner === undefined) this.owners.set(event.toolCallId, source);
      else if (owner !== source) return;
      this.emit?.(event);
    };
  }
}

async function cancelEngine(address: string, runId: string, token: string | undefined): Promise<void> {
  try {
    const response = await fetch(`${address}/cancel`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": USER_AGENT, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ runId }),
      signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
    });
    await response.body?.cancel().catch(() => undefined);
  } catch {
    // Best effort: the aborted request is the engine's main signal.
  }
}

/** Roles back as upstream maps them: tool answers become assistant messages, unknown roles user messages. */
function chatMessage(message: EngineMessage, agentName: string): ChatMessage {
  if (message.role === "system") return { role: "system", content: message.content };
  if (message.role === "assistant" || message.role === "tool") {
    const assistant: AssistantMessage = { role: "assistant", content: message.content, name: message.name || agentName };
    return assistant;
  }
  return { role: "user", content: message.content, ...(message.name ? { name: message.name } : {}) };
}

function usageOf(usage: EngineResponse["token_usage"]): TokenCount {
  if (!usage) return zeroUsage();
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens || usage.prompt_tokens + usage.completion_tokens };
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
