import type { QueryEvent } from "@ark/types";
import { describe, expect, it } from "vitest";
import { TokenUsageCollector } from "./token-usage-collector.js";

describe("TokenUsageCollector", () => {
  it("counts each llm.call.completed once and forwards every event", () => {
    const forwarded: QueryEvent[] = [];
    const collector = new TokenUsageCollector((e) => forwarded.push(e));
    const time = new Date().toISOString();
    const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };
    collector.sink({ type: "llm.call.started", time, callId: "1", model: "m" });
    collector.sink({ type: "llm.call.completed", time, callId: "1", model: "m", tokenUsage: usage, durationMs: 1 });
    collector.sink({ type: "llm.call.completed", time, callId: "2", model: "m", tokenUsage: usage, durationMs: 1 });
    collector.sink({ type: "target.completed", time, target: { type: "agent", name: "a" }, content: "x", tokenUsage: usage, durationMs: 2 });
    expect(collector.usage).toEqual({ promptTokens: 6, completionTokens: 4, totalTokens: 10 });
    expect(forwarded).toHaveLength(4);
  });
});
