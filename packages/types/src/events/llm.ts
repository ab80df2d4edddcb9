import { z } from "zod";
import { eventBase, EventErrorCode, EventTokenUsage } from "./common.js";

const llmCall = {
  ...eventBase,
  callId: z.string().describe("Pairs the started event with its completed/failed event."),
  model: z.string().describe("The Model resource (namespace/name) or the provider's model id."),
};

export const LlmCallStartedEvent = z.object({
  ...llmCall,
  type: z.literal("llm.call.started"),
});
export type LlmCallStartedEvent = z.output<typeof LlmCallStartedEvent>;

export const LlmCallCompletedEvent = z.object({
  ...llmCall,
  type: z.literal("llm.call.completed"),
  tokenUsage: EventTokenUsage,
  durationMs: z.number().min(0),
  finishReason: z.string().optional(),
});
export type LlmCallCompletedEvent = z.output<typeof LlmCallCompletedEvent>;

export const LlmCallFailedEvent = z.object({
  ...llmCall,
  type: z.literal("llm.call.failed"),
  message: z.string(),
  code: EventErrorCode.optional(),
  durationMs: z.number().min(0),
});
export type LlmCallFailedEvent = z.output<typeof LlmCallFailedEvent>;

export const ContentDeltaEvent = z.object({
  ...eventBase,
  type: z.literal("content.delta"),
  callId: z.string().optional(),
  chunk: z.string(),
});
export type ContentDeltaEvent = z.output<typeof ContentDeltaEvent>;
