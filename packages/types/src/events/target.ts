import { z } from "zod";
import { failureClassShape } from "../shared/failure-class.js";
import { eventBase, EventErrorCode, EventTargetRef, EventTokenUsage } from "./common.js";

export const TargetStartedEvent = z.object({
  ...eventBase,
  type: z.literal("target.started"),
  target: EventTargetRef,
});
export type TargetStartedEvent = z.output<typeof TargetStartedEvent>;

/** How a target ended normally other than by a final answer: a team at maxTurns, by a terminate call, at the graph's end. */
export const TargetEndReason = z.enum(["MaxTurnsReached", "Terminated", "GraphEnded"]);
export type TargetEndReason = z.output<typeof TargetEndReason>;

export const TargetCompletedEvent = z.object({
  ...eventBase,
  type: z.literal("target.completed"),
  target: EventTargetRef,
  content: z.string(),
  tokenUsage: EventTokenUsage.optional(),
  durationMs: z.number().min(0),
  reason: z.string().optional().describe("Why the target ended, in words, e.g. team default/t stopped at maxTurns (3)."),
  endReason: TargetEndReason.optional().describe("The same, as a code (the query's Completed condition reason)."),
});
export type TargetCompletedEvent = z.output<typeof TargetCompletedEvent>;

export const TargetFailedEvent = z.object({
  ...eventBase,
  type: z.literal("target.failed"),
  target: EventTargetRef,
  message: z.string(),
  code: EventErrorCode.optional(),
  ...failureClassShape,
  durationMs: z.number().min(0),
});
export type TargetFailedEvent = z.output<typeof TargetFailedEvent>;
