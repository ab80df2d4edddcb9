import { z } from "zod";
import { eventBase } from "./common.js";

export const TeamTurnEvent = z.object({
  ...eventBase,
  type: z.literal("team.turn"),
  team: z.string().describe("namespace/name"),
  turn: z.int().min(0),
});
export type TeamTurnEvent = z.output<typeof TeamTurnEvent>;

export const TeamMemberSelectedEvent = z.object({
  ...eventBase,
  type: z.literal("team.member.selected"),
  team: z.string().describe("namespace/name"),
  member: z.object({ type: z.enum(["agent", "team"]), name: z.string() }),
  turn: z.int().min(0).optional(),
  reason: z.enum(["order", "exact_match", "fallback", "graph"]).optional().describe("order: sequential/round-robin; exact_match or fallback: the selector's answer; graph: an edge."),
  selectorAnswer: z.string().optional().describe("What the selector model answered (selector strategy)."),
});
export type TeamMemberSelectedEvent = z.output<typeof TeamMemberSelectedEvent>;
