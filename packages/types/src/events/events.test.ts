import { describe, expect, it } from "vitest";
import { isTerminalQueryEvent, QueryEvent, TERMINAL_QUERY_EVENT_TYPES } from "./index.js";

const time = "2025-01-01T00:00:00.000Z";
const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };

describe("QueryEvent", () => {
  it("parses each kind of event by its type", () => {
    const events = [
      { type: "query.started", time, namespace: "default", name: "q", targets: [{ type: "agent", name: "a" }] },
      { type: "llm.call.completed", time, callId: "1", model: "default/m", tokenUsage: usage, durationMs: 4 },
      { type: "content.delta", time, target: { type: "agent", name: "a" }, chunk: "Hel" },
      { type: "tool.call.started", time, toolName: "noop", toolCallId: "c1", arguments: "{}" },
      { type: "tool.call.completed", time, toolName: "noop", toolCallId: "c1", result: "x", isError: false, durationMs: 1 },
      { type: "query.completed", time, responses: [{ target: { type: "agent", name: "a" }, content: "hi" }], tokenUsage: usage },
    ];
    for (const event of events) expect(QueryEvent.parse(event)).toEqual(event);
  });

  it("rejects an unknown type and a target event without its target", () => {
    expect(QueryEvent.safeParse({ type: "query.exploded", time }).success).toBe(false);
    expect(QueryEvent.safeParse({ type: "target.started", time }).success).toBe(false);
  });

  it("recognises exactly the three terminal events", () => {
    expect([...TERMINAL_QUERY_EVENT_TYPES]).toEqual(["query.completed", "query.failed", "query.canceled"]);
    expect(isTerminalQueryEvent({ type: "query.failed" })).toBe(true);
    expect(isTerminalQueryEvent({ type: "target.failed" })).toBe(false);
  });
});
