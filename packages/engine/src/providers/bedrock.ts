import { AsyncLocalStorage } from "node:async_hooks";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { BedrockRuntimeClient, BedrockRuntimeClientConfig, ContentBlock, ConverseCommandInput, ConverseStreamOutput, Message } from "@aws-sdk/client-bedrock-runtime";
import { EngineError } from "../errors.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "../http/retry.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { TokenCount } from "../usage.js";
import { describeModel, type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import { baseFetch, type CallState, type ProviderFetch, withModelHeaders, providerError, retryingFetch } from "./native/fetch.js";
import { toolInput, vendorProperties } from "./native/properties.js";
import { parseUrl } from "./openai.js";
import type { ChatRequest, ChatResult, ModelProvider } from "./provider.js";

// OpenAI property names → Converse inferenceConfig; other keys go to additionalModelRequestFields (e.g. top_k).
const INFERENCE_RENAMES: Readonly<Record<string, string | null>> = {
  max_tokens: "maxTokens",
  max_completion_tokens: "maxTokens",
  top_p: "topP",
  stop: "stopSequences",
  seed: null,
  frequency_penalty: null,
  presence_penalty: null,
};
const INFERENCE_KEYS = new Set(["maxTokens", "temperature", "topP", "stopSequences"]);

const STOP_REASONS: Readonly<Record<string, string>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
};

// Loaded on first use, so processes that never call Bedrock do not pay for the SDK at startup.
let sdk: Promise<typeof import("@aws-sdk/client-bedrock-runtime")> | undefined;
const loadSdk = (): Promise<typeof import("@aws-sdk/client-bedrock-runtime")> => (sdk ??= import("@aws-sdk/client-bedrock-runtime"));

/** The chat call a request belongs to, so the shared client's HTTP handler counts attempts and keeps its failure. */
const calls = new AsyncLocalStorage<CallState>();

/**
 * Amazon Bedrock Converse / ConverseStream via @aws-sdk/client-bedrock-runtime: `POST {endpoint}/model/{id}/converse`,
 * SigV4-signed with static keys or the AWS default credential chain. `baseUrl` overrides the regional endpoint.
 */
export function createBedrockProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  const settings = config.bedrock ?? {};
  const region = settings.region || process.env["AWS_REGION"] || process.env["AWS_DEFAULT_REGION"];
  const where = config.resource ? `model ${config.resource}` : `model "${config.model}"`;
  if (!region) throw new EngineError("CONFIG_ERROR", `${where}: spec.config.bedrock.region is required (or AWS_REGION in the environment)`);
  if (Boolean(settings.accessKeyId) !== Boolean(settings.secretAccessKey)) {
    throw new EngineError("CONFIG_ERROR", `${where}: spec.config.bedrock needs both accessKeyId and secretAccessKey, or neither (default credential chain)`);
  }
  const endpoint = config.baseUrl ? trimTrailingSlashes(config.baseUrl) : `https://bedrock-runtime.${region}.amazonaws.com`;
  parseUrl(endpoint, { ...config, baseUrl: endpoint });
  const description = describeModel(config, endpoint);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const clientConfig: BedrockRuntimeClientConfig = {
    region,
    maxAttempts: 1,
    requestHandler: new FetchRequestHandler(withModelHeaders(baseFetch(options), config.headers), retry) as never,
    ...(config.baseUrl ? { endpoint } : {}),
  };
  if (settings.accessKeyId && settings.secretAccessKey) {
    clientConfig.credentials = {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
      ...(settings.sessionToken ? { sessionToken: settings.sessionToken } : {}),
    };
  }
  let client: BedrockRuntimeClient | undefined;
  const properties = config.properties ?? {};
  return {
    type: "bedrock",
    model: config.model,
    description,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const input = converseInput(config, { ...properties, ...request.properties }, request, description);
      const state: CallState = { attempts: 0 };
      try {
        const { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } = await loadSdk();
        client ??= new BedrockRuntimeClient(clientConfig);
        const bedrock = client;
        return await calls.run(state, async () => {
          if (!request.stream) {
            const output = await bedrock.send(new ConverseCommand(input), { abortSignal: request.signal });
            const usage = output.usage ?? {};
            return result(output.output?.message?.content ?? [], output.stopReason, tokens(usage));
          }
          const output = await bedrock.send(new ConverseStreamCommand(input), { abortSignal: request.signal });
          const accumulator = new ConverseStream(description, request.onDelta);
          for await (const event of output.stream ?? []) accumulator.accept(event);
          request.signal?.throwIfAborted();
          return accumulator.result();
        });
      } catch (error) {
        throw providerError(error, state, request.signal, description);
      }
    },
  };
}

export function converseInput(config: ResolvedModelConfig, properties: Record<string, string>, request: ChatRequest, where: string): ConverseCommandInput {
  const { system, messages } = converseMessages(request.messages);
  const inference: Record<string, unknown> = {};
  const additional: Record<string, unknown> = {};
  if (config.bedrock?.maxTokens !== undefined) inference["maxTokens"] = config.bedrock.maxTokens;
  if (config.bedrock?.temperature !== undefined) inference["temperature"] = config.bedrock.temperature;
  for (const [key, value] of Object.entries(vendorProperties(properties, INFERENCE_RENAMES, where))) {
    if (INFERENCE_KEYS.has(key)) inference[key] = value;
    else additional[key] = value;
  }
  const input: ConverseCommandInput = { modelId: config.model, messages };
  if (system) input.system = [{ text: system }];
  if (Object.keys(inference).length > 0) input.inferenceConfig = inference;
  if (Object.keys(additional).length > 0) input.additionalModelRequestFields = additional as never;
  if (request.tools && request.tools.length > 0) {
    input.toolConfig = {
      tools: request.tools.map((tool) => ({
        toolSpec: {
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          inputSchema: { json: tool.function.parameters as never },
        },
      })),
    };
  }
  if (request.responseFormat) {
    if (request.responseFormat.type !== "json_schema") {
      throw new EngineError("CONFIG_ERROR", `${where}: bedrock supports structured output only with a JSON schema (outputSchema), not json_object`);
    }
    const { name, schema } = request.responseFormat.json_schema;
    input.outputConfig = { textFormat: { type: "json_schema", structure: { jsonSchema: { name, schema: JSON.stringify(schema) } } } };
  }
  return input;
}

function converseMessages(input: ChatMessage[]): { system: string; messages: Message[] } {
  const system: string[] = [];
  const messages: Message[] = [];
  for (const message of input) {
    if (message.role === "system") {
      system.push(message.content);
    } else if (message.role === "user") {
      pushUser(messages, { text: message.content });
    } else if (message.role === "assistant") {
      const content: ContentBlock[] = [];
      if (message.content) content.push({ text: message.content });
      for (const call of message.tool_calls ?? []) {
        content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: toolInput(call.function.arguments) as never } });
      }
      if (content.length > 0) messages.push({ role: "assistant", content });
    } else {
      pushUser(messages, { toolResult: { toolUseId: message.tool_call_id, content: [{ text: message.content }] } });
    }
  }
  return { system: system.join("\n\n"), messages };
}

// Converse wants user and assistant turns to alternate: adjacent user blocks (tool results, a note after them) share one turn.
function pushUser(messages: Message[], block: ContentBlock): void {
  const last = messages.at(-1);
  if (last?.role === "user" && last.content) last.content.push(block);
  else messages.push({ role: "user", content: [block] });
}

function tokens(usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number }): TokenCount {
  const prompt = (usage.inputTokens ?? 0) + (usage.cacheReadInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
  const completion = usage.outputTokens ?? 0;
  return { promptTokens: prompt, completionTokens: completion, totalTokens: usage.totalTokens || prompt + completion };
}

function result(content: ContentBlock[], stopReason: string | undefined, usage: TokenCount): ChatResult {
  let text = "";
  const toolCalls: ToolCall[] = [];
  for (const block of content) {
    if (block.text) text += block.text;
    if (block.toolUse) {
      toolCalls.push({ id: block.toolUse.toolUseId ?? "", type: "function", function: { name: block.toolUse.name ?? "", arguments: JSON.stringify(block.toolUse.input ?? {}) } });
    }
  }
  const message: AssistantMessage = { role: "assistant", content: text === "" && toolCalls.length > 0 ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return { message, usage, finishReason: STOP_REASONS[stopReason ?? ""] ?? stopReason ?? "stop" };
}

/** Assembles ConverseStream events; text deltas reach `onDelta` as they come. */
class ConverseStream {
  private readonly blocks = new Map<number, ContentBlock>();
  private readonly toolJson = new Map<number, string>();
  private stopReason: string | undefined;
  private usage: TokenCount = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

  constructor(
    private readonly where: string,
    private readonly onDelta?: (chunk: string) => void,
  ) {}

  accept(event: ConverseStreamOutput): void {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      this.blocks.set(event.contentBlockStart.contentBlockIndex ?? this.blocks.size, { toolUse: { toolUseId, name, input: undefined } });
    } else if (event.contentBlockDelta?.delta) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (delta.text) {
        const block = this.blocks.get(index) ?? { text: "" };
        block.text = (block.text ?? "") + delta.text;
        this.blocks.set(index, block);
        this.onDelta?.(delta.text);
      } else if (delta.toolUse?.input) {
        this.toolJson.set(index, (this.toolJson.get(index) ?? "") + delta.toolUse.input);
      }
    } else if (event.messageStop) {
      this.stopReason = event.messageStop.stopReason;
    } else if (event.metadata?.usage) {
      this.usage = tokens(event.metadata.usage);
    } else {
      const failure = Object.entries(event).find(([key, value]) => key.endsWith("Exception") && value);
      if (failure) throw new EngineError("PROVIDER_ERROR", `${this.where}: error in stream: ${failure[0]}: ${(failure[1] as { message?: string }).message ?? ""}`);
    }
  }

  result(): ChatResult {
    if (!this.stopReason) throw new EngineError("PROVIDER_ERROR", `${this.where}: the stream ended before the answer finished`);
    const content = [...this.blocks.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, block]) => {
        if (!block.toolUse) return block;
        return { toolUse: { ...block.toolUse, input: toolInput(this.toolJson.get(index) ?? "") as never } } as ContentBlock;
      });
    return result(content, this.stopReason, this.usage);
  }
}

interface SmithyRequest {
  protocol: string;
  hostname: string;
  port?: number;
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The AWS SDK's HTTP handler over the provider's fetch, so Bedrock traffic takes the same (guarded) path as the rest. */
class FetchRequestHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };

  constructor(
    private readonly fetch: ProviderFetch,
    private readonly retry: RetryPolicy,
  ) {}

  async handle(request: SmithyRequest, options: { abortSignal?: AbortSignal } = {}): Promise<{ response: unknown }> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, item ?? "");
    }
    const search = query.size > 0 ? `?${query}` : "";
    const url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ""}${request.path}${search}`;
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== "host"));
    const state = calls.getStore() ?? { attempts: 0 };
    const response = await retryingFetch(
      this.fetch,
      this.retry,
      state,
    )(url, {
      method: request.method,
      headers,
      body: request.body as string | Uint8Array | undefined,
      signal: options.abortSignal,
    });
    const body = response.body ? Readable.fromWeb(response.body as unknown as WebReadableStream) : Readable.from([]);
    return { response: { statusCode: response.status, reason: response.statusText, headers: Object.fromEntries(response.headers), body } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
