import type { Query } from "@ark/kube";
import type { QueryEvent, QueryTarget } from "@ark/types";
import { describe, expect, it } from "vitest";
import { finalStatus } from "./final-status.js";
import { RunRecord } from "./run-record.js";
import { runningStatus } from "./status.js";

const time = "2026-11-25T10:00:00.000Z";
const a: QueryTarget = { type: "agent", name: "a" };
const b: QueryTarget = { type: "agent", name: "b" };
const usage = { promptTokens: 3, completionTokens: 2, totalTokens: 5 };

function recordOf(events: QueryEvent[]) {
  const record = new RunRecord();
  events.forEach((e) => record.apply(e));
  if (!record.terminal) throw new Error("no terminal event");
  return { ...record, terminal: record.terminal };
}

const started: QueryEvent = { type: "query.started", time, namespace: "ns", name: "q", targets: [a, b] };

describe("final status from a run's events", () => {
  it("mirrors a single target's answer in status.response and says Succeeded", () => {
    const record = recordOf([
      { ...started, targets: [a] },
      { type: "target.completed", time, target: a, content: "42", durationMs: 5 },
      { type: "query.completed", time, responses: [{ target: a, content: "42" }], tokenUsage: usage, durationMs: 1234.6 },
    ]);
    const status = finalStatus(record, undefined, 3, 0);
    expect(status).toMatchObject({
      phase: "done",
      responses: [{ target: a, content: "42" }],
      response: { target: a, content: "42" },
      tokenUsage: usage,
      duration: "1.235s",
      observedGeneration: 3,
    });
    expect(status.conditions?.find((c) => c.type === "Completed")).toMatchObject({ status: "True", reason: "Succeeded" });
  });

  it("keeps the answers of targets that succeeded next to the errors of those that failed", () => {
    const record = recordOf([
      started,
      { type: "target.completed", time, target: b, content: "fine", durationMs: 1 },
      { type: "target.failed", time, target: a, message: "agent ns/a execution failed: boom", durationMs: 1 },
      { type: "query.failed", time, message: "1 of 2 targets failed: agent a: boom", responses: [{ target: b, content: "fine" }], durationMs: 10 },
    ]);
    const status = finalStatus(record, undefined, 1, 0);
    expect(status).toMatchObject({ phase: "error", message: "1 of 2 targets failed: agent a: boom", responses: [{ target: b, content: "fine" }] });
    expect(status.errors).toEqual([{ target: a, message: "agent ns/a execution failed: boom" }]);
    expect(status.response).toBeUndefined();
  });

  it("writes upstream's response fields: raw, phase done, a2a, and the conversation the run's memory used", () => {
    const raw = JSON.stringify([{ role: "assistant", content: "42" }]);
    const record = recordOf([
      { ...started, targets: [a] },
      { type: "memory.read", time, target: a, memory: "ns/default", sessionId: "conv-1", messageCount: 0 },
      { type: "target.completed", time, target: a, content: "42", durationMs: 5 },
      { type: "memory.written", time, target: a, memory: "ns/default", sessionId: "conv-1", messageCount: 2 },
      { type: "query.completed", time, responses: [{ target: a, content: "42", raw, a2a: { contextId: "c", taskId: "t" } }], tokenUsage: usage, durationMs: 9 },
    ]);
    const status = finalStatus(record, undefined, 1, 0);
    expect(status.response).toEqual({ target: a, content: "42", raw, phase: "done", a2a: { contextId: "c", taskId: "t" } });
    expect(status.responses).toEqual([{ target: a, content: "42" }]);
    expect(status.conversationId).toBe("conv-1");
  });

  it("writes a single target's failure as status.response with phase error, as upstream", () => {
    const record = recordOf([
      { ...started, targets: [a] },
      { type: "target.failed", time, target: a, message: "agent ns/a execution failed: boom", durationMs: 1 },
      { type: "query.failed", time, message: "agent ns/a execution failed: boom", responses: [], durationMs: 3 },
    ]);
    const status = finalStatus(record, undefined, 1, 0);
    expect(status.response).toEqual({
      target: a,
      content: "agent ns/a execution failed: boom",
      raw: JSON.stringify([{ error: "target_execution_error", message: "agent ns/a execution failed: boom" }]),
      phase: "error",
    });
    expect(status.conversationId).toBeUndefined();
  });

  it("says in status.failure whose failure ended the query and whether another attempt may succeed", () => {
    const record = recordOf([
      { ...started, targets: [a] },
      { type: "query.failed", time, message: "model ns/m: rate limited", code: "PROVIDER_RATE_LIMITED", origin: "third-party", retryable: true, responses: [], durationMs: 3 },
    ]);
    expect(finalStatus(record, undefined, 1, 0)).toMatchObject({ phase: "error", failure: { code: "PROVIDER_RATE_LIMITED", origin: "third-party", retryable: true } });
    const done = recordOf([
      { ...started, targets: [a] },
      { type: "query.completed", time, responses: [{ target: a, content: "ok" }], tokenUsage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 } },
    ]);
    expect(finalStatus(done, undefined, 1, 0).failure).toBeUndefined();
  });

  it("forgets what an abandoned attempt reported when the redelivered run starts over", () => {
    const record = recordOf([
      started,
      { type: "target.failed", time, target: a, message: "from the dead worker", durationMs: 1 },
      started,
      { type: "target.completed", time, target: a, content: "x", durationMs: 1 },
      { type: "target.completed", time, target: b, content: "y", durationMs: 1 },
      {
        type: "query.completed",
        time,
        responses: [
          { target: a, content: "x" },
          { target: b, content: "y" },
        ],
        tokenUsage: usage,
      },
    ]);
    expect(record.errors).toEqual([]);
    expect(finalStatus(record, undefined, 1, 0).phase).toBe("done");
  });

  it("says TimedOut for a deadline and uses the fallback duration when the event has none", () => {
    const record = recordOf([started, { type: "query.failed", time, message: "query ns/q: timed out after 1s", code: "TIMEOUT" }]);
    const status = finalStatus(record, undefined, 1, 2000);
    expect(status).toMatchObject({ phase: "error", duration: "2s" });
    expect(status.conditions?.find((c) => c.type === "Completed")?.reason).toBe("TimedOut");
  });

  it("ignores events after the terminal one", () => {
    const record = new RunRecord();
    record.apply(started);
    record.apply({ type: "query.canceled", time, message: "spec.cancel is true" });
    record.apply({ type: "target.completed", time, target: a, content: "late", durationMs: 1 });
    record.apply({ type: "query.completed", time, responses: [], tokenUsage: usage });
    expect(record.terminal?.type).toBe("query.canceled");
    expect(record.responses).toEqual([]);
  });

  it("moves a condition's lastTransitionTime only when its status flips", () => {
    const query = { metadata: { name: "q", namespace: "ns", generation: 1 }, spec: {}, status: undefined } as unknown as Query;
    const running = runningStatus(query, Date.now());
    const before = running.conditions?.find((c) => c.type === "Resolved")?.lastTransitionTime;
    const record = recordOf([started, { type: "query.completed", time, responses: [], tokenUsage: usage }]);
    const done = finalStatus(record, running, 1, 0);
    expect(done.conditions?.find((c) => c.type === "Resolved")?.lastTransitionTime).toBe(before);
    expect(done.conditions?.find((c) => c.type === "Running")?.status).toBe("False");
  });

  it("keeps control characters, echoed credentials and unbounded text out of status.message and status.errors", () => {
    const hostile = `model said: Authorization: Bearer sk-abcdefghijklmnopqrstu \u001b[2J\u0007${"x".repeat(10_000)}`;
    const record = recordOf([
      { ...started, targets: [a] },
      { type: "target.failed", time, target: a, message: hostile, durationMs: 5 },
      { type: "query.failed", time, message: hostile, durationMs: 10 },
    ]);
    const status = finalStatus(record, undefined, 1, 0);
    for (const message of [status.message ?? "", status.errors?.[0]?.message ?? "", status.conditions?.find((c) => c.type === "Completed")?.message ?? ""]) {
      expect(message).toMatch(/^model said: Authorization: \[redacted\] x+…$/);
      expect(message).not.toContain("sk-abc");
      expect(message.length).toBe(4000);
    }
  });
});
