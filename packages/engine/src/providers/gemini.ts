import { randomUUID } from "node:crypto";
import type { Content, GenerateContentConfig, GenerateContentResponse, Part } from "@google/genai";
import { EngineError } from "../errors.js";
import { DEFAULT_RETRY_POLICY } from "../http/retry.js";
import type { AssistantMessage, ChatMessage, ToolCall } from "../messages.js";
import type { TokenCount } from "../usage.js";
import { describeModel, type ProviderOptions, type ResolvedModelConfig, trimTrailingSlashes } from "./config.js";
import { baseFetch, type CallState, withModelHeaders, providerError, retryingFetch } from "./native/fetch.js";
import { toolInput, vendorProperties } from "./native/properties.js";
import { parseUrl } from "./openai.js";
import type { ChatRequest, ChatResult, ModelProvider } from "./provider.js";

const DEFAULT_GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

// OpenAI property names → @google/genai's GenerateContentConfig (sent as the request's generationConfig).
const RENAMES: Readonly<Record<string, string | null>> = {
  top_p: "topP",
  top_k: "topK",
  max_tokens: "maxOutputTokens",
  max_completion_tokens: "maxOutputTokens",
  stop: "stopSequences",
  presence_penalty: "presencePenalty",
  frequency_penalty: "frequencyPenalty",
};

const FINISH_REASONS: Readonly<Record<string, string>> = {
  STOP: "stop",
  MAX_TOKENS: "length",
  SAFETY: "content_filter",
  RECITATION: "content_filter",
  BLOCKLIST: "content_filter",
  PROHIBITED_CONTENT: "content_filter",
  SPII: "content_filter",
};

// Gemini 3 wants a function call's thoughtSignature back with it; the engine's messages have no field for it.
const thoughtSignatures = new Map<string, string>();
const MAX_SIGNATURES = 2_000;

/**
 * Gemini API: `POST {baseUrl}/v1beta/models/{model}:generateContent` (`:streamGenerateContent?alt=sse`), via @google/genai;
 * a Vertex AI baseUrl (`*aiplatform.googleapis.com`) uses Vertex with the API key.
 */
export function createGeminiProvider(config: ResolvedModelConfig, options: ProviderOptions = {}): ModelProvider {
  const base = trimTrailingSlashes(config.baseUrl || DEFAULT_GEMINI_BASE_URL).replace(/\/v1(beta)?$/, "");
  parseUrl(base, config);
  const description = describeModel(config, base);
  // Vertex AI with an API key (express mode): /v1beta1/publishers/google/models/{model}:generateContent.
  const vertexai = /(^|[.-])aiplatform\.googleapis\.com$/.test(new URL(base).hostname);
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const fetch = withModelHeaders(baseFetch(options), config.headers);
  const properties = config.properties ?? {};
  return {
    type: "gemini",
    model: config.model,
    description,
    async chat(request: ChatRequest): Promise<ChatResult> {
      const params = { model: config.model, ...geminiRequest({ ...properties, ...request.properties }, request, description) };
      const state: CallState = { attempts: 0 };
      // Loaded on first use, so processes that never call Gemini do not pay for the SDK at startup.
      const { GoogleGenAI } = await import("@google/genai");
      const client = new GoogleGenAI({
        vertexai,
        apiKey: config.apiKey,
        httpOptions: { baseUrl: base, fetch: retryingFetch(fetch, retry, state) as never },
      });
      try {
        if (!request.stream) return fromResponses([await client.models.generateContent(params)], description);
        const chunks: GenerateContentResponse[] = [];
        for await (const chunk of await client.models.generateContentStream(params)) {
          chunks.push(chunk);
          const text = textOf(chunk);
          if (text) request.onDelta?.(text);
        }
        request.signal?.throwIfAborted();
        if (!chunks.some((chunk) => chunk.candidates?.[0]?.finishReason || chunk.promptFeedback?.blockReason)) {
          throw new EngineError("PROVIDER_ERROR", `${description}: the stream ended before the answer finished`);
        }
        return fromResponses(chunks, description);
      } catch (error) {
        throw providerError(error, state, request.signal, description);
      }
    },
  };
}

export function geminiRequest(properties: Record<string, string>, request: ChatRequest, where: string): { contents: Content[]; config: GenerateContentConfig } {
  const { system, contents } = geminiContents(request.messages);
  const config: GenerateContentConfig = { ...(vendorProperties(properties, RENAMES, where) as GenerateContentConfig) };
  if (request.signal) config.abortSignal = request.signal;
  if (system) config.systemInstruction = { parts: [{ text: system }] };
  if (request.tools && request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.function.name,
          ...(tool.function.description ? { description: tool.function.description } : {}),
          parametersJsonSchema: tool.function.parameters,
        })),
      },
    ];
  }
  if (request.responseFormat) {
    config.responseMimeType = "application/json";
    if (request.responseFormat.type === "json_schema") config.responseJsonSchema = request.responseFormat.json_schema.schema;
  }
  return { contents, config };
}

/** System messages → systemInstruction; assistant → role `model`; tool results → functionResponse parts of one user turn. */
function geminiContents(input: ChatMessage[]): { system: string; contents: Content[] } {
  const system: string[] = [];
  const contents: Content[] = [];
  const names = new Map<string, string>();
  for (const message of input) {
    if (message.role === "system") {
      system.push(message.content);
    } else if (message.role === "user") {
      contents.push({ role: "user", parts: [{ text: message.content }] });
    } else if (message.role === "assistant") {
      const parts: Part[] = [];
      if (message.content) parts.push({ text: message.content });
      for (const call of message.tool_calls ?? []) {
        names.set(call.id, call.function.name);
        const signature = thoughtSignatures.get(call.id);
        parts.push({ functionCall: { name: call.function.name, args: toolInput(call.function.arguments) }, ...(signature ? { thoughtSignature: signature } : {}) });
      }
      if (parts.length > 0) contents.push({ role: "model", parts });
    } else {
      const part: Part = { functionResponse: { name: names.get(message.tool_call_id) ?? "", response: { result: message.content } } };
      const last = contents.at(-1);
      if (last?.role === "user" && last.parts?.every((p) => p.functionResponse)) last.parts.push(part);
      else contents.push({ role: "user", parts: [part] });
    }
  }
  return { system: system.join("\n\n"), contents };
}

function textOf(response: GenerateContentResponse): string {
  return (response.candidates?.[0]?.content?.parts ?? [])
    .filter((p) => p.text && !p.thought)
    .map((p) => p.text)
    .join("");
}

/** One response, or the chunks of a stream in order → the engine's result. */
function fromResponses(responses: GenerateContentResponse[], where: string): ChatResult {
  let text = "";
  const calls: ToolCall[] = [];
  let finish: string | undefined;
  let usage: TokenCount = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  for (const response of responses) {
    const candidate = response.candidates?.[0];
    text += textOf(response);
    for (const part of candidate?.content?.parts ?? []) {
      if (!part.functionCall) continue;
      const id = part.functionCall.id || `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
      if (part.thoughtSignature) remember(id, part.thoughtSignature);
      calls.push({ id, type: "function", function: { name: part.functionCall.name ?? "", arguments: JSON.stringify(part.functionCall.args ?? {}) } });
    }
    if (candidate?.finishReason) finish = candidate.finishReason;
    const meta = response.usageMetadata;
    if (meta) {
      const prompt = meta.promptTokenCount ?? 0;
      const completion = (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0);
      usage = { promptTokens: prompt, completionTokens: completion, totalTokens: meta.totalTokenCount ?? prompt + completion };
    }
  }
  if (responses.length > 0 && !finish && calls.length === 0 && text === "") {
    const blocked = responses[0]?.promptFeedback?.blockReason;
    if (blocked) throw new EngineError("PROVIDER_BAD_REQUEST", `${where}: the prompt was blocked (${blocked})`);
  }
  const message: AssistantMessage = { role: "assistant", content: text === "" && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls;
  const finishReason = calls.length > 0 ? "tool_calls" : (FINISH_REASONS[finish ?? "STOP"] ?? finish?.toLowerCase() ?? "stop");
  return { message, usage, finishReason };
}

function remember(id: string, signature: string): void {
  if (thoughtSignatures.size >= MAX_SIGNATURES) thoughtSignatures.delete(thoughtSignatures.keys().next().value!);
  thoughtSignatures.set(id, signature);
}
