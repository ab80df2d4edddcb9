import { z } from "zod";
import { eventBase, EventErrorCode, EventTargetRef, EventTokenUsage } from "./common.js";

export const TargetStartedEvent = z.object({
  ...eventBase,
  type: z.literal("target.started"),
  target: EventTargetRef,
});
export type TargetStartedEvent = z.output<typeof TargetStartedEvent>;

export const TargetCompletedEvent = z.object({
  ...eventBase,
  type: z.literal("target.completed"),
  target: EventTargetRef,
  content: z.string(),
  tokenUsage: EventTokenUsage.optional(),
  durationMs: z.number().min(0),
  reason: z.string().optional().describe("Why the target ended other than by answering, e.g. maxTurns reached."),
});
export type TargetCompletedEvent = z.output<typeof TargetCompletedEvent>;

export const TargetFailedEvent = z.object({
  ...eventBase,
  type: z.literal("target.failed"),
  target: EventTargetRef,
  message: z.string(),
  code: EventErrorCode.optional(),
  durationMs: z.number().min(0),
});
export type TargetFailedEvent = z.output<typeof TargetFailedEvent>;
