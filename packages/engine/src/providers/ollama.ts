import { randomUUID } from "node:crypto";
import { EngineError } from "../errors.js";
import { DEFAULT_RETRY_POLICY } from "../http/retry.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { TokenCount } from "../usage.js";
import { describeModel, type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import { baseFetch, type CallState, withModelHeaders, providerError, retryingFetch } from "./native/fetch.js";
import { toolInput, vendorProperties } from "./native/properties.js";
import { parseUrl } from "./openai.js";
import type { ChatRequest, ChatResult, ModelProvider } from "./provider.js";

// Ollama's request `options` use these names; `keep_alive` and `think` sit at the top level of the body.
const RENAMES: Readonly<Record<string, string | null>> = { max_tokens: "num_predict", max_completion_tokens: "num_predict" };
const TOP_LEVEL = new Set(["keep_alive", "think"]);

interface OllamaWireMessage {
  role?: string;
  content?: string;
  tool_calls?: { id?: string; function?: { name?: string; arguments?: unknown } }[];
}

interface OllamaWireChunk {
  message?: OllamaWireMessage;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

/**
 * Ollama's native API: `POST {baseUrl}/api/chat` (NDJSON when streamed). Plain fetch, not the `ollama` package: that
 * client has no per-request AbortSignal and bundles a fetch polyfill, and the protocol is one JSON body or NDJSON lines.
 */
export function createOllamaProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  const base = trimTrailingSlashes(config.baseUrl).replace(/\/(api|v1)$/, "");
  const url = parseUrl(`${base}/api/chat`, config);
  const description = describeModel(config, base);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const fetch = withModelHeaders(baseFetch(options), config.headers);
  const properties = config.properties ?? {};
  return {
    type: "ollama",
    model: config.model,
    description,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const body = ollamaBody(config.model, { ...properties, ...request.properties }, request, description);
      const state: CallState = { attempts: 0 };
      try {
        const headers: Record<string, string> = { "content-type": "application/json", accept: request.stream ? "application/x-ndjson" : "application/json" };
        // Ollama itself needs no key; one is sent when given, for Ollama behind an authenticating proxy.
        if (config.apiKey) headers["authorization"] = `Bearer ${config.apiKey}`;
        const response = await retryingFetch(
          fetch,
          retry,
          state,
        )(url, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
          signal: request.signal,
        });
        const accumulator = new OllamaAccumulator(description, request.onDelta);
        if (!request.stream) {
          accumulator.accept(parseLine(await response.text(), description));
        } else {
          for await (const line of ndjsonLines(response)) accumulator.accept(parseLine(line, description));
        }
        return accumulator.result();
      } catch (error) {
        throw providerError(error, state, request.signal, description);
      }
    },
  };
}

export function ollamaBody(model: string, properties: Record<string, string>, request: ChatRequest, where: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: ollamaMessages(request.messages), stream: request.stream === true };
  const optionsField: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vendorProperties(properties, RENAMES, where))) {
    if (TOP_LEVEL.has(key)) body[key] = value;
    else optionsField[key] = value;
  }
  if (Object.keys(optionsField).length > 0) body["options"] = optionsField;
  if (request.tools && request.tools.length > 0) body["tools"] = request.tools;
  if (request.responseFormat) {
    body["format"] = request.responseFormat.type === "json_schema" ? request.responseFormat.json_schema.schema : "json";
  }
  return body;
}

function ollamaMessages(input: ChatMessage[]): Record<string, unknown>[] {
  const toolNames = new Map<string, string>();
  return input.map((message) => {
    if (message.role === "assistant") {
      const out: Record<string, unknown> = { role: "assistant", content: message.content ?? "" };
      if (message.tool_calls?.length) {
        out["tool_calls"] = message.tool_calls.map((call) => {
          toolNames.set(call.id, call.function.name);
          return { function: { name: call.function.name, arguments: toolInput(call.function.arguments) } };
        });
      }
      return out;
    }
    if (message.role === "tool") {
      const name = toolNames.get(message.tool_call_id);
      return { role: "tool", content: message.content, ...(name ? { tool_name: name } : {}) };
    }
    return { role: message.role, content: message.content };
  });
}

async function* ndjsonLines(response: Response): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield line;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) yield buffer.trim();
}

function parseLine(text: string, where: string): OllamaWireChunk {
  try {
    return JSON.parse(text) as OllamaWireChunk;
  } catch (cause) {
    const start = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new EngineError("PROVIDER_ERROR", `${where}: invalid JSON from ollama: ${JSON.stringify(start)}`, { cause });
  }
}

/** Assembles /api/chat answers (one object, or NDJSON chunks ending with `done: true`). */
class OllamaAccumulator {
  private content = "";
  private readonly calls: ToolCall[] = [];
  private usage: TokenCount = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  private doneReason: string | undefined;
  private done = false;

  constructor(
    private readonly where: string,
    private readonly onDelta?: (chunk: string) => void,
  ) {}

  accept(chunk: OllamaWireChunk): void {
    if (chunk.error) throw new EngineError("PROVIDER_ERROR", `${this.where}: error in stream: ${chunk.error}`);
    const text = chunk.message?.content ?? "";
    if (text) {
      this.content += text;
      this.onDelta?.(text);
    }
    for (const call of chunk.message?.tool_calls ?? []) {
      const args = call.function?.arguments;
      this.calls.push({
        // Ollama gives no call ids (or only recent versions do); the engine needs one to pair results.
        id: call.id || `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
        type: "function",
        function: { name: call.function?.name ?? "", arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) },
      });
    }
    if (chunk.done) {
      this.done = true;
      this.doneReason = chunk.done_reason;
      const prompt = chunk.prompt_eval_count ?? 0;
      const completion = chunk.eval_count ?? 0;
      this.usage = { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
    }
  }

  result(): ChatResult {
    if (!this.done) throw new EngineError("PROVIDER_ERROR", `${this.where}: the stream ended before the answer finished`);
    const message: AssistantMessage = { role: "assistant", content: this.content === "" && this.calls.length > 0 ? null : this.content };
    if (this.calls.length > 0) message.tool_calls = this.calls;
    const finishReason = this.calls.length > 0 ? "tool_calls" : this.doneReason === "length" ? "length" : "stop";
    return { message, usage: this.usage, finishReason };
  }
}
