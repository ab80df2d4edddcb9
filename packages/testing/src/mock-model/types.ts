import type { IncomingHttpHeaders } from "node:http";

export interface MockUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface MockToolCall {
  name: string;
  /** An object is serialized with JSON.stringify; a string is sent as is (to test invalid JSON). */
  arguments?: unknown;
  /** Defaults to a unique `call_…` id. */
  id?: string;
}

export type MockFinishReason = "stop" | "tool_calls" | "length" | "content_filter";

/** Fields every scripted reply may carry. */
export interface MockReplyTiming {
  /** Wait this long before answering (before the first byte of a stream). Overrides the global latency. */
  delayMs?: number;
  /** Streams only: wait this long between chunks. Overrides the global chunk latency. */
  chunkDelayMs?: number;
}

export interface MockCompletionFields extends MockReplyTiming {
  /** Replaces the computed token counts, field by field. */
  usage?: Partial<MockUsage>;
  finishReason?: MockFinishReason;
  /** The `model` echoed in the response; defaults to the requested model. */
  model?: string;
}

export interface MockTextReply extends MockCompletionFields {
  text: string;
}

export interface MockToolCallsReply extends MockCompletionFields {
  toolCalls: MockToolCall[];
  /** Optional assistant content sent alongside the calls. */
  text?: string;
}

/** JSON content, for `response_format` json_object / json_schema. */
export interface MockJsonReply extends MockCompletionFields {
  json: unknown;
}

export interface MockErrorReply extends MockReplyTiming {
  error: {
    status: number;
    message?: string;
    type?: string;
    code?: string | null;
    /** Seconds, sent as the `retry-after` header (429 defaults to 1). */
    retryAfter?: number;
  };
}

/** Never answers; close() releases it. `afterChunks` starts a stream and stalls after that many chunks. */
export interface MockHangReply {
  hang: true;
  afterChunks?: number;
}

/** Resets the TCP connection; with `afterChunks` a stream is cut after that many chunks. */
export interface MockResetReply {
  resetConnection: true;
  afterChunks?: number;
  /** What the stream would have said (so the chunks before the cut carry content). */
  text?: string;
}

export type MockStaticReply = string | MockTextReply | MockToolCallsReply | MockJsonReply | MockErrorReply | MockHangReply | MockResetReply;

export type MockReplyFunction = (request: MockChatRequest) => MockStaticReply | Promise<MockStaticReply>;

export type MockReply = MockStaticReply | MockReplyFunction;

/** What a reply function sees: the parsed chat-completions request. */
export interface MockChatRequest {
  /** The model the reply is chosen for: the Azure deployment, else the body's `model`. */
  model: string;
  body: ChatCompletionRequestBody;
  messages: ChatMessage[];
  /** Text of the last `user` message ("" when none). */
  lastUserText: string;
  stream: boolean;
  headers: IncomingHttpHeaders;
  path: string;
  deployment?: string;
  apiVersion?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  time: Date;
  /** For chat completions: the model the reply was chosen for. */
  model?: string;
  deployment?: string;
  apiVersion?: string;
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  name?: string;
  tool_calls?: unknown[];
  tool_call_id?: string;
  [key: string]: unknown;
}

export interface ChatCompletionRequestBody {
  model?: string;
  messages?: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
  tools?: unknown[];
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  [key: string]: unknown;
}

export interface ModelMatch {
  model: string;
}

export interface MockLatency {
  delayMs?: number;
  chunkDelayMs?: number;
}

export interface MockModelOptions extends MockLatency {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Characters per streamed content chunk (and per tool-argument piece). Default 4. */
  chunkSize?: number;
  /** Host names it answers (DNS rebinding), as services' ALLOWED_HOSTS: default localhost, *.localhost; `*` any. */
  allowedHosts?: readonly string[];
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or `api-key: <apiKey>`, else 401. */
  apiKey?: string;
  /** Extra names for GET /v1/models, next to `mock-model` and the scripted ones. */
  models?: string[];
}

export interface MockModel {
  /** `http://127.0.0.1:PORT/v1`, the OpenAI `baseURL`. */
  url: string;
  /** `http://127.0.0.1:PORT`, the Azure `endpoint`. */
  baseUrl: string;
  port: number;
  /** Every request received, in order (cleared by reset()). */
  readonly requests: RecordedRequest[];
  /** Queue replies for any model. */
  script(...replies: MockReply[]): MockModel;
  /** Queue replies for one model; they win over the any-model queue for that model. */
  script(match: ModelMatch, ...replies: MockReply[]): MockModel;
  /** The reply when the queue is empty (undefined restores the echo `mock: <last user text>`). */
  setDefault(reply: MockReply | undefined, match?: ModelMatch): MockModel;
  setLatency(latency: MockLatency): MockModel;
  /** Scripted replies not consumed yet (for one model, or all). */
  pending(match?: ModelMatch): number;
  /** Resolves once at least `count` chat-completion requests were received. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Clears scripts, defaults, latency and recorded requests. */
  reset(): void;
  /** Stops the server, releasing hung requests and open streams. */
  close(): Promise<void>;
}
