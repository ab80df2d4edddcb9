import { describe, expect, it } from "vitest";
import { describeEvent } from "./event-lines.js";

const time = "2026-01-01T00:00:00Z";

describe("describeEvent", () => {
  it("prints tool calls with their arguments, results and errors", () => {
    expect(describeEvent({ type: "tool.call.started", time, agent: "default/weather", toolName: "get-forecast", toolCallId: "c1", arguments: '{"city": "Paris"}' })).toEqual({
      line: '  ⚙ weather calls get-forecast({"city": "Paris"})',
      status: "running tool get-forecast",
    });
    expect(describeEvent({ type: "tool.call.completed", toolName: "get-forecast", toolCallId: "c1", result: "sunny", isError: false, durationMs: 12.3 }).line).toBe("  ✓ get-forecast (12ms) → sunny");
    expect(describeEvent({ type: "tool.call.completed", toolName: "x", toolCallId: "c2", result: "boom", error: "HTTP 500", isError: true, durationMs: 1 }).line).toBe("  ✗ x failed: HTTP 500");
  });

  it("says a run waits for approval and how to answer it", () => {
    const view = describeEvent({ type: "tool.approval.requested", request: "q1-1a2b3c4d", toolCalls: [{ id: "c1", name: "pay", arguments: '{"amount":500}' }] });
    expect(view).toEqual({ line: '  ⏸ waiting for approval of pay({"amount":500}): ark approvals approve q1-1a2b3c4d | ark approvals reject q1-1a2b3c4d --reason …', status: "waiting for approval" });
  });

  it("prints team turns and member selections", () => {
    expect(describeEvent({ type: "team.turn", team: "default/research", turn: 2 }).line).toBe("  ↻ team default/research turn 2");
    expect(describeEvent({ type: "team.member.selected", team: "default/research", member: { type: "agent", name: "writer" } })).toEqual({
      line: "  → team default/research hands over to agent writer",
      status: "writer is working",
    });
  });

  it("only updates the spinner for model calls and content, and ignores unknown events", () => {
    expect(describeEvent({ type: "llm.call.started", agent: "default/a", model: "default/default", callId: "x" })).toEqual({ status: "a thinking (default/default)" });
    expect(describeEvent({ type: "content.delta", chunk: "he" })).toEqual({ status: "answering" });
    expect(describeEvent({ type: "something.new" })).toEqual({});
  });

  it("shortens long arguments to one line", () => {
    const line = describeEvent({ type: "tool.call.started", toolName: "t", arguments: `{"text": "${"x".repeat(500)}"}` }).line!;
    expect(line.length).toBeLessThan(160);
    expect(line.endsWith("…)")).toBe(true);
  });
});
