import { z } from "zod";
import { QueryTargetResponse } from "../kinds/query.js";
import { failureClassShape } from "../shared/failure-class.js";
import { eventBase, EventErrorCode, EventTargetRef, EventTokenUsage } from "./common.js";

export const QueryStartedEvent = z.object({
  ...eventBase,
  type: z.literal("query.started"),
  namespace: z.string(),
  name: z.string(),
  targets: z.array(EventTargetRef),
});
export type QueryStartedEvent = z.output<typeof QueryStartedEvent>;

export const QueryCompletedEvent = z.object({
  ...eventBase,
  type: z.literal("query.completed"),
  responses: z.array(QueryTargetResponse),
  tokenUsage: EventTokenUsage,
  durationMs: z.number().min(0).optional(),
});
export type QueryCompletedEvent = z.output<typeof QueryCompletedEvent>;

export const QueryFailedEvent = z.object({
  ...eventBase,
  type: z.literal("query.failed"),
  message: z.string(),
  code: EventErrorCode.optional(),
  ...failureClassShape,
  responses: z.array(QueryTargetResponse).optional().describe("Answers of the targets that succeeded."),
  tokenUsage: EventTokenUsage.optional(),
  durationMs: z.number().min(0).optional(),
});
export type QueryFailedEvent = z.output<typeof QueryFailedEvent>;

export const QueryCanceledEvent = z.object({
  ...eventBase,
  type: z.literal("query.canceled"),
  message: z.string().optional(),
  tokenUsage: EventTokenUsage.optional(),
  durationMs: z.number().min(0).optional(),
});
export type QueryCanceledEvent = z.output<typeof QueryCanceledEvent>;
