import { describe, expect, it } from "vitest";
import { progressMessage } from "./progress-message.js";

const time = "2026-01-01T00:00:00Z";
const target = { type: "team" as const, name: "crew" };

describe("progressMessage", () => {
  it("names the step and who takes it", () => {
    expect(progressMessage({ type: "team.turn", time, target, team: "ns/crew", turn: 2 })).toBe("team ns/crew: turn 2");
    expect(progressMessage({ type: "team.member.selected", time, target, team: "ns/crew", member: { type: "agent", name: "a" } })).toBe("team ns/crew: agent a takes the turn");
    expect(progressMessage({ type: "tool.call.completed", time, agent: "ns/a", toolName: "t", toolCallId: "1", result: "x", isError: true, durationMs: 1 })).toBe("agent ns/a: tool t failed");
    expect(progressMessage({ type: "query.failed", time, message: "boom" })).toBe("query failed: boom");
  });

  it("stays quiet for chatty events", () => {
    expect(progressMessage({ type: "content.delta", time, chunk: "x" })).toBeUndefined();
    expect(progressMessage({ type: "llm.call.started", time, callId: "c", model: "m" })).toBeUndefined();
  });
});
