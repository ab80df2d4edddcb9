import { z } from "zod";
import { eventBase } from "./common.js";

const toolCall = {
  ...eventBase,
  toolName: z.string(),
  toolCallId: z.string(),
};

export const ToolCallStartedEvent = z.object({
  ...toolCall,
  type: z.literal("tool.call.started"),
  arguments: z.string().describe("The raw JSON arguments the model sent."),
});
export type ToolCallStartedEvent = z.output<typeof ToolCallStartedEvent>;

export const ToolCallCompletedEvent = z.object({
  ...toolCall,
  type: z.literal("tool.call.completed"),
  result: z.string().describe("The content returned to the model (the error text when isError)."),
  isError: z.boolean(),
  error: z.string().optional(),
  durationMs: z.number().min(0),
});
export type ToolCallCompletedEvent = z.output<typeof ToolCallCompletedEvent>;

/** The run paused: a person must decide these calls; the ToolApprovalRequest `request` holds them (docs/architecture.md §3.2). */
export const ToolApprovalRequestedEvent = z.object({
  ...eventBase,
  type: z.literal("tool.approval.requested"),
  request: z.string().describe("Name of the ToolApprovalRequest, in the query's namespace."),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), arguments: z.string() })),
});
export type ToolApprovalRequestedEvent = z.output<typeof ToolApprovalRequestedEvent>;
