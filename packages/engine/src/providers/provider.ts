import type { AssistantMessage, ChatMessage, ToolDefinition } from "../messages.js";
import type { TokenCount } from "../usage.js";

export type ResponseFormat = { type: "json_schema"; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean } } | { type: "json_object" };

export interface ChatRequest {
  messages: ChatMessage[];
  /** Omitted from the wire when empty. */
  tools?: ToolDefinition[];
  responseFormat?: ResponseFormat;
  /** Per-call properties, merged over the model's (same coercion). */
  properties?: Record<string, string>;
  /** Ask the provider to stream; content chunks then reach `onDelta` in order. */
  stream?: boolean;
  onDelta?: (chunk: string) => void;
  signal?: AbortSignal;
}

export interface ChatResult {
  message: AssistantMessage;
  usage: TokenCount;
  /** `stop`, `tool_calls`, `length`, `content_filter`, … as the provider said. */
  finishReason: string;
}

/** A model endpoint the agent loop can talk to. Every implementation passes `providers/conformance.ts`. */
export interface ModelProvider {
  readonly type: string;
  /** The model (or deployment) id sent to the provider. */
  readonly model: string;
  /** How errors name this model: the Model resource and the endpoint, never the key. */
  readonly description: string;
  chat(request: ChatRequest): Promise<ChatResult>;
}
