import { z } from "zod";
import { QueryTarget } from "../kinds/query.js";

export const EventTargetRef = QueryTarget.describe("The query target an event belongs to.");
export type EventTargetRef = z.output<typeof EventTargetRef>;

/** Fields every execution event carries. */
export const eventBase = {
  time: z.iso.datetime().describe("When the step happened (RFC 3339)."),
  target: EventTargetRef.optional().describe("The query target this step runs under, when there is one."),
  agent: z.string().optional().describe("The agent (namespace/name) taking this step, when there is one."),
  parentToolCallId: z.string().optional().describe("Set on the steps of an agent or team called as a tool: the tool call (toolCallId) it runs under."),
};

/** Usage of one LLM call or a sum of calls; all three fields present (0 when the provider says nothing). */
export const EventTokenUsage = z.object({
  promptTokens: z.int().min(0),
  completionTokens: z.int().min(0),
  totalTokens: z.int().min(0),
});
export type EventTokenUsage = z.output<typeof EventTokenUsage>;

export const EventErrorCode = z.string().describe("A closed code of the emitting boundary, e.g. PROVIDER_ERROR, MAX_ITERATIONS, CANCELED.");
