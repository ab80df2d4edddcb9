import { sampleFromJsonSchema } from "./json-schema-sample.js";
import type { MockChatRequest, MockLatency, MockReply, MockStaticReply, MockUsage, ModelMatch } from "./types.js";
import { type CompletionContent, type WireToolCall, countCompletionTokens, countPromptTokens, errorBody, newCompletionId, newToolCallId } from "./wire.js";

const ANY_MODEL = "\u0000any";

/** Scripted replies per model, consumed in order, with defaults when a queue runs dry. */
export class ReplyScript {
  private readonly queues = new Map<string, MockReply[]>();
  private readonly defaults = new Map<string, MockReply>();
  latency: MockLatency = {};

  constructor(private readonly initialLatency: MockLatency) {
    this.latency = { ...initialLatency };
  }

  push(match: ModelMatch | undefined, replies: MockReply[]): void {
    const key = match?.model ?? ANY_MODEL;
    const queue = this.queues.get(key) ?? [];
    queue.push(...replies);
    this.queues.set(key, queue);
  }

  setDefault(match: ModelMatch | undefined, reply: MockReply | undefined): void {
    const key = match?.model ?? ANY_MODEL;
    if (reply === undefined) this.defaults.delete(key);
    else this.defaults.set(key, reply);
  }

  /** The next reply for a model: its own queue, then the any-model queue, then its default, then the global default. */
  take(model: string): MockReply | undefined {
    const own = this.queues.get(model);
    if (own?.length) return own.shift();
    const any = this.queues.get(ANY_MODEL);
    if (any?.length) return any.shift();
    return this.defaults.get(model) ?? this.defaults.get(ANY_MODEL);
  }

  pending(match?: ModelMatch): number {
    if (match) return this.queues.get(match.model)?.length ?? 0;
    let total = 0;
    for (const queue of this.queues.values()) total += queue.length;
    return total;
  }

  /** Model names that have a script or a default. */
  modelNames(): string[] {
    return [...new Set([...this.queues.keys(), ...this.defaults.keys()])].filter((key) => key !== ANY_MODEL);
  }

  reset(): void {
    this.queues.clear();
    this.defaults.clear();
    this.latency = { ...this.initialLatency };
  }
}

/** What the server does with one request, once the reply is resolved. */
export type ReplyAction =
  | { kind: "completion"; completion: CompletionContent; delayMs: number; chunkDelayMs: number }
  | { kind: "error"; status: number; body: object; retryAfter?: number; delayMs: number }
  | { kind: "hang"; afterChunks?: number; completion: CompletionContent; chunkDelayMs: number }
  | { kind: "reset"; afterChunks?: number; completion: CompletionContent; chunkDelayMs: number };

/** The reply when nothing is scripted: echo the last user message, as JSON when JSON was asked for. */
function defaultReply(request: MockChatRequest): MockStaticReply {
  const text = `mock: ${request.lastUserText}`;
  const format = request.body.response_format;
  if (format?.type === "json_schema") return { json: sampleFromJsonSchema(format.json_schema?.schema, text) };
  if (format?.type === "json_object") return { json: { reply: text } };
  return { text };
}

export async function resolveReply(reply: MockReply | undefined, request: MockChatRequest): Promise<MockStaticReply> {
  if (reply === undefined) return defaultReply(request);
  if (typeof reply === "function") return reply(request);
  return reply;
}

function buildCompletion(
  request: MockChatRequest,
  fields: {
    text?: string | null;
    toolCalls?: WireToolCall[];
    finishReason?: CompletionContent["finishReason"];
    usage?: Partial<MockUsage>;
    model?: string;
  },
): CompletionContent {
  const toolCalls = fields.toolCalls ?? [];
  const content = fields.text ?? (toolCalls.length ? null : "");
  const promptTokens = fields.usage?.prompt_tokens ?? countPromptTokens(request.messages, request.body.tools);
  const completionTokens = fields.usage?.completion_tokens ?? countCompletionTokens(content, toolCalls);
  return {
    id: newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model: fields.model ?? request.model,
    content,
    toolCalls,
    finishReason: fields.finishReason ?? (toolCalls.length ? "tool_calls" : "stop"),
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: fields.usage?.total_tokens ?? promptTokens + completionTokens,
    },
  };
}

export function toAction(reply: MockStaticReply, request: MockChatRequest, latency: MockLatency): ReplyAction {
  const r = typeof reply === "string" ? { text: reply } : reply;
  const chunkDelayMs = ("chunkDelayMs" in r ? r.chunkDelayMs : undefined) ?? latency.chunkDelayMs ?? 0;
  const delayMs = ("delayMs" in r ? r.delayMs : undefined) ?? latency.delayMs ?? 0;
  if ("error" in r) {
    const { status, retryAfter, ...override } = r.error;
    return {
      kind: "error",
      status,
      body: errorBody(status, override),
      retryAfter: retryAfter ?? (status === 429 ? 1 : undefined),
      delayMs,
    };
  }
  if ("hang" in r) {
    return {
      kind: "hang",
      afterChunks: r.afterChunks,
      completion: buildCompletion(request, { text: `mock: ${request.lastUserText}` }),
      chunkDelayMs,
    };
  }
  if ("resetConnection" in r) {
    return {
      kind: "reset",
      afterChunks: r.afterChunks,
      completion: buildCompletion(request, { text: r.text ?? `mock: ${request.lastUserText}` }),
      chunkDelayMs,
    };
  }
  if ("toolCalls" in r) {
    const toolCalls: WireToolCall[] = r.toolCalls.map((call) => ({
      id: call.id ?? newToolCallId(),
      type: "function",
      function: {
        name: call.name,
        arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
      },
    }));
    return { kind: "completion", completion: buildCompletion(request, { ...r, toolCalls }), delayMs, chunkDelayMs };
  }
  if ("json" in r) {
    const text = JSON.stringify(r.json);
    return { kind: "completion", completion: buildCompletion(request, { ...r, text }), delayMs, chunkDelayMs };
  }
  return { kind: "completion", completion: buildCompletion(request, r), delayMs, chunkDelayMs };
}
