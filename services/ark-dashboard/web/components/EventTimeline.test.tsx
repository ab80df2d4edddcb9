// @vitest-environment happy-dom
import type { QueryEvent } from "@ark/types";
import { afterEach, describe, expect, it } from "vitest";
import { render } from "../test-support/render.js";
import { EventTimeline } from "./EventTimeline.js";

const time = "2026-01-01T00:00:00Z";
const target = { type: "agent" as const, name: "weather" };
const usage = { promptTokens: 12, completionTokens: 6, totalTokens: 18 };

const started: QueryEvent[] = [
  { type: "query.started", time, namespace: "default", name: "q1", targets: [target] },
  { type: "target.started", time, target },
  { type: "llm.call.started", time, target, agent: "default/weather", callId: "c1", model: "default/gpt" },
  { type: "tool.call.started", time, target, agent: "default/weather", toolName: "get-weather", toolCallId: "t1", arguments: '{"city":"Paris"}' },
];
const toolDone: QueryEvent = { type: "tool.call.completed", time, target, toolName: "get-weather", toolCallId: "t1", result: '{"temp":21}', isError: false, durationMs: 42 };
const secondCall: QueryEvent[] = [
  { type: "llm.call.completed", time, target, callId: "c1", model: "default/gpt", tokenUsage: usage, durationMs: 300 },
  { type: "llm.call.started", time, target, callId: "c2", model: "default/gpt" },
  { type: "content.delta", time, target, callId: "c2", chunk: "It is " },
  { type: "content.delta", time, target, callId: "c2", chunk: "sunny." },
];
const finished: QueryEvent[] = [
  { type: "llm.call.completed", time, target, callId: "c2", model: "default/gpt", tokenUsage: usage, durationMs: 1500 },
  { type: "target.completed", time, target, content: "It is sunny.", durationMs: 1900, tokenUsage: { promptTokens: 24, completionTokens: 12, totalTokens: 36 } },
  { type: "query.completed", time, responses: [{ target, content: "It is sunny." }], tokenUsage: { promptTokens: 24, completionTokens: 12, totalTokens: 36 }, durationMs: 2000 },
];

describe("EventTimeline", () => {
  let view: ReturnType<typeof render> | undefined;
  afterEach(() => view?.unmount());

  const entries = () => [...view!.container.querySelectorAll<HTMLElement>("li.entry")];

  it("shows a tool call with its arguments while it runs, then its result and duration", () => {
    view = render(<EventTimeline events={started} />);
    const tool = entries().find((li) => li.dataset.kind === "tool")!;
    expect(tool.textContent).toContain("get-weather");
    expect(tool.textContent).toContain('"city": "Paris"');
    expect(tool.textContent).toContain("running");
    expect(tool.textContent).not.toContain("Result");

    view.rerender(<EventTimeline events={[...started, toolDone]} />);
    const done = entries().find((li) => li.dataset.kind === "tool")!;
    expect(done.textContent).toContain("Result");
    expect(done.textContent).toContain('"temp": 21');
    expect(done.textContent).toContain("42 ms");
    expect(done.textContent).not.toContain("running");
  });

  it("grows an LLM call's text chunk by chunk and adds its token usage when it completes", () => {
    view = render(<EventTimeline events={[...started, toolDone, ...secondCall.slice(0, 3)]} />);
    const llm = () => entries().filter((li) => li.dataset.kind === "llm");
    expect(llm()).toHaveLength(2);
    expect(llm()[0]!.textContent).toContain("18 tokens (12 in, 6 out)");
    expect(llm()[1]!.querySelector("pre")!.textContent).toBe("It is ");
    expect(llm()[1]!.textContent).toContain("streaming");

    view.rerender(<EventTimeline events={[...started, toolDone, ...secondCall, ...finished]} />);
    expect(llm()[1]!.querySelector("pre")!.textContent).toBe("It is sunny.");
    expect(llm()[1]!.textContent).toContain("1.50 s");
    expect(llm()[1]!.textContent).not.toContain("streaming");
  });

  it("ends with the query's responses, total tokens and duration, in event order", () => {
    view = render(<EventTimeline events={[...started, toolDone, ...secondCall, ...finished]} />);
    expect(entries().map((li) => li.dataset.kind)).toEqual(["query", "target", "llm", "tool", "llm", "target", "query"]);
    const last = entries().at(-1)!;
    expect(last.textContent).toContain("Query completed");
    expect(last.textContent).toContain("36 tokens");
    expect(last.textContent).toContain("2.00 s");
    expect(last.textContent).toContain("Response of agent/weather");
    expect(last.textContent).toContain("It is sunny.");
  });

  it("shows team turns and hand-offs, and a failure with its message", () => {
    view = render(
      <EventTimeline
        events={[
          { type: "team.turn", time, team: "default/crew", turn: 0 },
          { type: "team.member.selected", time, team: "default/crew", member: { type: "agent", name: "writer" }, reason: "graph" },
          { type: "query.failed", time, message: "model default/gpt: 401 invalid key", code: "PROVIDER_ERROR" },
        ]}
      />,
    );
    const text = view.container.textContent!;
    expect(text).toContain("Turn 1 of team default/crew");
    expect(text).toContain("hands over to agent/writer");
    expect(text).toContain("reason: graph");
    expect(entries().at(-1)!.className).toContain("failed");
    expect(text).toContain("401 invalid key");
  });

  it("says what to expect before any event arrives", () => {
    view = render(<EventTimeline events={[]} />);
    expect(view.container.textContent).toContain("No events yet");
  });
});
