import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createControllerMetrics, observeRunEvent, targetTypeOf } from "./metrics.js";

const gauges = { trackedRuns: () => 0, queueDepths: () => ({}), runsInFlight: () => 0, queriesByPhase: () => [] };

describe("controller metric labels stay bounded", () => {
  it('counts a tool name the model made up as tool="unknown", a real tool under its name', async () => {
    const registry = new Registry();
    const metrics = createControllerMetrics(registry, gauges);
    const time = new Date().toISOString();
    observeRunEvent(metrics, { type: "tool.call.completed", time, toolName: "invented-1", toolCallId: "a", result: "Error: tool invented-1 not found", isError: true, error: "tool invented-1 not found", durationMs: 0 });
    observeRunEvent(metrics, { type: "tool.call.completed", time, toolName: "invented-2", toolCallId: "b", result: "Error: tool invented-2 not found", isError: true, error: "tool invented-2 not found", durationMs: 0 });
    observeRunEvent(metrics, { type: "tool.call.completed", time, toolName: "weather", toolCallId: "c", result: "Error: HTTP 500", isError: true, error: "HTTP 500", durationMs: 3 });
    const text = await registry.metrics();
    expect(text).toMatch(/ark_tool_calls_total\{tool="unknown",outcome="error"\} 2/);
    expect(text).toMatch(/ark_tool_calls_total\{tool="weather",outcome="error"\} 1/);
    expect(text).not.toContain("invented");
  });

  it("names a query's target type by its targets, whatever they are called", () => {
    expect(targetTypeOf({ target: { type: "agent", name: "a" } })).toBe("agent");
    expect(
      targetTypeOf({
        targets: [
          { type: "team", name: "t" },
          { type: "team", name: "u" },
        ],
      }),
    ).toBe("team");
    expect(
      targetTypeOf({
        targets: [
          { type: "agent", name: "a" },
          { type: "model", name: "m" },
        ],
      }),
    ).toBe("mixed");
    expect(targetTypeOf({ selector: { matchLabels: { app: "x" } } })).toBe("selector");
  });
});
