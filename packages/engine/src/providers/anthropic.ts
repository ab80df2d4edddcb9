import type { MessageCreateParamsNonStreaming, RawMessageStreamEvent } from "@anthropic-ai/sdk/resources/messages/messages";
import { EngineError } from "../errors.js";
import { DEFAULT_RETRY_POLICY } from "../http/retry.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { TokenCount } from "../usage.js";
import { describeModel, type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import { baseFetch, type CallState, withModelHeaders, providerError, retryingFetch } from "./native/fetch.js";
import { toolInput, vendorProperties } from "./native/properties.js";
import { parseUrl } from "./openai.js";
import type { ChatRequest, ChatResult, ModelProvider } from "./provider.js";

const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";
/** The Messages API requires max_tokens; used when no property sets it. */
const DEFAULT_ANTHROPIC_MAX_TOKENS = 4096;

const RENAMES: Readonly<Record<string, string | null>> = {
  max_completion_tokens: "max_tokens",
  stop: "stop_sequences",
  seed: null,
  frequency_penalty: null,
  presence_penalty: null,
};

const STOP_REASONS: Readonly<Record<string, string>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  refusal: "content_filter",
};

/** Anthropic Messages API: `POST {baseUrl}/v1/messages` with the key and `anthropic-version`, via @anthropic-ai/sdk. */
export function createAnthropicProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  // Accept both the origin (the SDK's convention) and a base ending in /v1 (the OpenAI convention).
  const base = trimTrailingSlashes(config.baseUrl || DEFAULT_ANTHROPIC_BASE_URL).replace(/\/v1$/, "");
  parseUrl(base, config);
  const description = describeModel(config, base);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const fetch = withModelHeaders(baseFetch(options), config.headers);
  const properties = config.properties ?? {};
  return {
    type: "anthropic",
    model: config.model,
    description,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const body = anthropicBody(config.model, { ...properties, ...request.properties }, request, description);
      const state: CallState = { attempts: 0 };
      // Loaded on first use, so processes that never call Anthropic do not pay for the SDK at startup.
      const { default: Anthropic } = await import("@anthropic-ai/sdk");
      const client = new Anthropic({
        apiKey: config.apiKey,
        baseURL: base,
        fetch: retryingFetch(fetch, retry, state),
        maxRetries: 0,
        // Set so the SDK does not refuse large non-streamed max_tokens; the signal bounds the call.
        timeout: options.bodyTimeoutMs ?? 600_000,
        // The key goes in the documented x-api-key header (what gateways and proxies expect), not the SDK's bearer token.
        defaultHeaders: { "anthropic-version": config.version || DEFAULT_ANTHROPIC_VERSION, "x-api-key": config.apiKey, authorization: null },
      });
      try {
        if (!request.stream) {
          const message = await client.messages.create(body, { signal: request.signal });
          return fromMessage(message);
        }
        const stream = await client.messages.create({ ...body, stream: true }, { signal: request.signal });
        const accumulator = new AnthropicStream(description, request.onDelta);
        for await (const event of stream) accumulator.accept(event);
        // The SDK's stream ends quietly when aborted; a cut-off answer must not pass for a whole one.
        request.signal?.throwIfAborted();
        return accumulator.result();
      } catch (error) {
        throw providerError(error, state, request.signal, description);
      }
    },
  };
}

export function anthropicBody(model: string, properties: Record<string, string>, request: ChatRequest, where: string): MessageCreateParamsNonStreaming {
  const { system, messages } = anthropicMessages(request.messages);
  const body: Record<string, unknown> = {
    model,
    max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
    ...vendorProperties(properties, RENAMES, where),
    messages,
  };
  const user = properties["user"];
  if (user) body["metadata"] = { user_id: user };
  if (system) body["system"] = system;
  if (request.tools && request.tools.length > 0) {
    body["tools"] = request.tools.map((tool) => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters,
    }));
  }
  if (request.responseFormat) {
    if (request.responseFormat.type !== "json_schema") {
      throw new EngineError("CONFIG_ERROR", `${where}: anthropic supports structured output only with a JSON schema (outputSchema), not json_object`);
    }
    body["output_config"] = { format: { type: "json_schema", schema: request.responseFormat.json_schema.schema } };
  }
  return body as unknown as MessageCreateParamsNonStreaming;
}

type AnthropicBlock = Record<string, unknown>;
type AnthropicMessage = { role: "user" | "assistant"; content: string | AnthropicBlock[] };

/** System messages → `system`; tool results → `tool_result` blocks of one user turn, as the API requires. */
function anthropicMessages(input: ChatMessage[]): { system: string; messages: AnthropicMessage[] } {
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const message of input) {
    if (message.role === "system") {
      system.push(message.content);
    } else if (message.role === "user") {
      messages.push({ role: "user", content: message.content });
    } else if (message.role === "assistant") {
      const blocks: AnthropicBlock[] = [];
      if (message.content) blocks.push({ type: "text", text: message.content });
      for (const call of message.tool_calls ?? []) {
        blocks.push({ type: "tool_use", id: call.id, name: call.function.name, input: toolInput(call.function.arguments) });
      }
      // An empty assistant turn is refused by the API; dropping it leaves adjacent user turns, which it merges.
      if (blocks.length > 0) messages.push({ role: "assistant", content: blocks.length === 1 && blocks[0]!["type"] === "text" ? message.content! : blocks });
    } else {
      const result = { type: "tool_result", tool_use_id: message.tool_call_id, content: message.content };
      const last = messages.at(-1);
      if (last?.role === "user" && Array.isArray(last.content) && last.content.every((b) => b["type"] === "tool_result")) {
        last.content.push(result);
      } else {
        messages.push({ role: "user", content: [result] });
      }
    }
  }
  return { system: system.join("\n\n"), messages };
}

interface WireUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

function usage(raw: WireUsage): TokenCount {
  const prompt = (raw.input_tokens ?? 0) + (raw.cache_creation_input_tokens ?? 0) + (raw.cache_read_input_tokens ?? 0);
  const completion = raw.output_tokens ?? 0;
  return { promptTokens: prompt, completionTokens: completion, totalTokens: prompt + completion };
}

function fromMessage(message: { content: { type: string }[]; stop_reason?: string | null; usage: WireUsage }): ChatResult {
  let text = "";
  const calls: ToolCall[] = [];
  for (const block of message.content as { type: string; text?: string; id?: string; name?: string; input?: unknown }[]) {
    if (block.type === "text") text += block.text ?? "";
    if (block.type === "tool_use") {
      calls.push({ id: block.id ?? "", type: "function", function: { name: block.name ?? "", arguments: JSON.stringify(block.input ?? {}) } });
    }
  }
  return assistantResult(text, calls, message.stop_reason, usage(message.usage));
}

function assistantResult(text: string, calls: ToolCall[], stopReason: string | null | undefined, tokens: TokenCount): ChatResult {
  const message: AssistantMessage = { role: "assistant", content: text === "" && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  return { message, usage: tokens, finishReason: STOP_REASONS[stopReason ?? ""] ?? stopReason ?? "stop" };
}

/** Assembles the Messages API's server-sent events; text deltas reach `onDelta` as they come. */
class AnthropicStream {
  private text = "";
  private readonly calls = new Map<number, ToolCall>();
  private wireUsage: WireUsage = {};
  private stopReason: string | null | undefined;

  constructor(
    private readonly where: string,
    private readonly onDelta?: (chunk: string) => void,
  ) {}

  accept(event: RawMessageStreamEvent): void {
    switch (event.type) {
      case "message_start":
        this.wireUsage = { ...event.message.usage };
        break;
      case "content_block_start":
        if (event.content_block.type === "tool_use") {
          const block = event.content_block;
          this.calls.set(event.index, { id: block.id, type: "function", function: { name: block.name, arguments: "" } });
        }
        break;
      case "content_block_delta":
        if (event.delta.type === "text_delta" && event.delta.text) {
          this.text += event.delta.text;
          this.onDelta?.(event.delta.text);
        } else if (event.delta.type === "input_json_delta") {
          const call = this.calls.get(event.index);
          if (call) call.function.arguments += event.delta.partial_json;
        }
        break;
      case "message_delta":
        this.stopReason = event.delta.stop_reason;
        for (const [key, value] of Object.entries(event.usage)) {
          if (typeof value === "number") (this.wireUsage as Record<string, number>)[key] = value;
        }
        break;
      default:
        break;
    }
  }

  result(): ChatResult {
    if (!this.stopReason) throw new EngineError("PROVIDER_ERROR", `${this.where}: the stream ended before the answer finished`);
    const calls = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        ...call,
        function: { ...call.function, arguments: call.function.arguments || "{}" },
      }));
    return assistantResult(this.text, calls, this.stopReason, usage(this.wireUsage));
  }
}
