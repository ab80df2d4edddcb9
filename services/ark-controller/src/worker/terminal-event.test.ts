import { RunAbortedError } from "@ark/bus";
import type { QueryTarget } from "@ark/types";
import { describe, expect, it } from "vitest";
import { terminalEvent, type RunEnd } from "./terminal-event.js";

const a: QueryTarget = { type: "agent", name: "a" };
const b: QueryTarget = { type: "agent", name: "b" };
const tokenUsage = { promptTokens: 1, completionTokens: 1, totalTokens: 2 };
const base: RunEnd = { outcomes: [], busSignal: new AbortController().signal, timedOut: false, timeoutMessage: "timed out", tokenUsage, durationMs: 7 };

describe("how a run ends", () => {
  it("carries a single target's added messages as raw (upstream's status.response.raw) and its A2A ids; several targets' carry no raw", () => {
    const messages = [{ role: "assistant", content: "x" }];
    const one = terminalEvent({ ...base, outcomes: [{ target: a, ok: true, content: "x", messages, a2a: { taskId: "t" } }] });
    expect(one).toMatchObject({ responses: [{ target: a, content: "x", raw: JSON.stringify(messages), a2a: { taskId: "t" } }] });
    const two = terminalEvent({
      ...base,
      outcomes: [
        { target: a, ok: true, content: "x", messages },
        { target: b, ok: true, content: "y", messages },
      ],
    });
    expect(two).toMatchObject({
      responses: [
        { target: a, content: "x" },
        { target: b, content: "y" },
      ],
    });
    expect(JSON.stringify(two)).not.toContain("raw");
    const huge = terminalEvent({ ...base, outcomes: [{ target: a, ok: true, content: "x", messages: [{ role: "tool", content: "z".repeat(200 * 1024) }] }] });
    expect(JSON.stringify(huge)).not.toContain("raw");
  });

  it("completes when every target answered", () => {
    expect(terminalEvent({ ...base, outcomes: [{ target: a, ok: true, content: "x" }] })).toEqual({
      type: "query.completed",
      responses: [{ target: a, content: "x" }],
      tokenUsage,
      durationMs: 7,
    });
  });

  it("fails with the single target's own message, or names each failed target among several", () => {
    expect(terminalEvent({ ...base, outcomes: [{ target: a, ok: false, message: "boom", code: "PROVIDER_ERROR" }] })).toMatchObject({
      type: "query.failed",
      message: "boom",
      code: "PROVIDER_ERROR",
    });
    const several = terminalEvent({
      ...base,
      outcomes: [
        { target: a, ok: false, message: "boom" },
        { target: b, ok: true, content: "y" },
      ],
    });
    expect(several).toMatchObject({ type: "query.failed", message: "1 of 2 targets failed: agent a: boom", responses: [{ target: b, content: "y" }] });
  });

  it("fails with the query's own problem when the run failed before its targets", () => {
    expect(terminalEvent({ ...base, failure: { message: "query ns/q: parameter city: missing", code: "PARAMETER_ERROR" } })).toMatchObject({
      type: "query.failed",
      message: "query ns/q: parameter city: missing",
      code: "PARAMETER_ERROR",
    });
  });

  it("says the deadline, not the targets' aborted calls, when the query timed out", () => {
    expect(terminalEvent({ ...base, timedOut: true, outcomes: [{ target: a, ok: false, message: "aborted" }] })).toMatchObject({
      type: "query.failed",
      code: "TIMEOUT",
      message: "timed out",
    });
  });

  it("is canceled, with the reason, when the bus canceled the run", () => {
    const controller = new AbortController();
    controller.abort(new RunAbortedError("canceled", "spec.cancel is true"));
    expect(terminalEvent({ ...base, busSignal: controller.signal, outcomes: [{ target: a, ok: false, message: "aborted" }] })).toMatchObject({
      type: "query.canceled",
      message: "spec.cancel is true",
    });
  });
});
