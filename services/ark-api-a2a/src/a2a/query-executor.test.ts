import { randomUUID } from "node:crypto";
import { Role, TaskState, type Message } from "@a2a-js/sdk";
import { DefaultExecutionEventBus, RequestContext, ServerCallContext, type AgentExecutionEvent } from "@a2a-js/sdk/server";
import { MemoryQueryBus } from "@ark/bus";
import type { ArkClient } from "@ark/kube";
import type { QueryEvent } from "@ark/types";
import { describe, expect, it } from "vitest";
import { QueryExecutor } from "./query-executor.js";

const time = () => new Date().toISOString();

/** The Kubernetes side: the executor creates the Query and reads its phase; nothing runs it unless the test publishes events. */
function fakeArk(phase: () => string) {
  const created: unknown[] = [];
  const UID = randomUUID();
  const ark = {
    queries: {
      create: async (obj: { metadata: Record<string, unknown> }) => {
        created.push(obj);
        return { ...obj, metadata: { ...obj.metadata, uid: UID } };
      },
      get: async (namespace: string, name: string) => ({ metadata: { namespace, name, uid: UID }, spec: {}, status: { phase: phase() } }),
    },
  } as unknown as ArkClient;
  return { ark, created, uid: UID };
}

function message(text: string, metadata?: Record<string, unknown>): Message {
  return {
    messageId: randomUUID(),
    contextId: "ctx-1",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, mediaType: "text/plain", filename: "", metadata: undefined }],
    metadata,
    extensions: [],
    referenceTaskIds: [],
  };
}

async function run(executor: QueryExecutor, userMessage: Message, taskId: string): Promise<AgentExecutionEvent[]> {
  const events: AgentExecutionEvent[] = [];
  const eventBus = new DefaultExecutionEventBus();
  eventBus.on("event", (event) => events.push(event));
  const context = new RequestContext({ tenant: "", message: userMessage, configuration: undefined, metadata: undefined }, taskId, "ctx-1", new ServerCallContext());
  await executor.execute(context, eventBus);
  return events;
}

const statusOf = (event: AgentExecutionEvent | undefined) => (event?.kind === "statusUpdate" ? event.data.status : undefined);
const textOfStatus = (event: AgentExecutionEvent | undefined) => {
  const part = statusOf(event)?.message?.parts[0]?.content;
  return part?.$case === "text" ? part.value : undefined;
};

describe("QueryExecutor", () => {
  const bus = new MemoryQueryBus<QueryEvent>();
  const stopping = new AbortController();

  const deps = (ark: ArkClient, graceMs = 60_000) => ({ ark, bus, log: { warn: () => undefined }, defaultTimeoutMs: 300_000, graceMs, stopping: stopping.signal });

  it("turns the query's events into task events: working, streamed chunks, the whole answer, completed", async () => {
    let phase = "running";
    const { ark, created, uid } = fakeArk(() => phase);
    const executor = new QueryExecutor({ kind: "agent", namespace: "default", name: "helper" }, deps(ark) as never);
    const taskId = randomUUID();
    const ref = { namespace: "default", name: `a2a-${taskId}`, queryUid: uid };
    const target = { type: "agent" as const, name: "helper" };
    const running = run(executor, message("hi"), taskId);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await bus.publishEvent(ref, { type: "query.started", time: time(), namespace: "default", name: ref.name, targets: [target] });
    await bus.publishEvent(ref, { type: "tool.call.started", time: time(), target, toolName: "search", toolCallId: "t1", arguments: "{}" });
    await bus.publishEvent(ref, { type: "content.delta", time: time(), target, chunk: "Hel" });
    await bus.publishEvent(ref, { type: "content.delta", time: time(), target: { type: "agent", name: "member" }, chunk: "not mine" });
    await bus.publishEvent(ref, { type: "content.delta", time: time(), target, chunk: "lo" });
    phase = "done";
    await bus.publishEvent(ref, { type: "query.completed", time: time(), responses: [{ target, content: "Hello" }], tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } });
    const events = await running;

    expect(created).toEqual([expect.objectContaining({ spec: { input: "hi", target, sessionId: "ctx-1", timeout: "300s" } })]);
    expect(events.map((event) => event.kind)).toEqual(["task", "statusUpdate", "statusUpdate", "artifactUpdate", "artifactUpdate", "artifactUpdate", "statusUpdate"]);
    expect(statusOf(events[1])?.state).toBe(TaskState.TASK_STATE_WORKING);
    expect(textOfStatus(events[2])).toBe("Calling tool search");
    const artifacts = events.flatMap((event) => (event.kind === "artifactUpdate" ? [event.data] : []));
    expect(artifacts.map((a) => [a.artifact?.parts[0]?.content?.value, a.append, a.lastChunk])).toEqual([
      ["Hel", false, false],
      ["lo", true, false],
      ["Hello", false, true],
    ]);
    expect(statusOf(events.at(-1))?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOfStatus(events.at(-1))).toBe("Hello");
  });

  it("fails the task when its query has not ended by its timeout plus the grace (nothing runs it)", async () => {
    const { ark } = fakeArk(() => "pending");
    const executor = new QueryExecutor({ kind: "team", namespace: "default", name: "crew" }, deps(ark, 200) as never);
    const started = Date.now();
    const events = await run(executor, message("anyone?", { timeout: "1s" }), randomUUID());
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_100);
    expect(statusOf(events.at(-1))?.state).toBe(TaskState.TASK_STATE_FAILED);
    expect(textOfStatus(events.at(-1))).toMatch(/did not finish within 1 seconds.*is the controller running\?/);
  });
});
