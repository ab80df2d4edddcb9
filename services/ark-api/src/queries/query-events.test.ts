import { createArkClient } from "@ark/kube";
import { readServerSentEvents, type QueryEvent, type ServerSentEvent } from "@ark/types";
import { testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTestStack, type TestStack } from "../test-support/harness.js";
import { readSse } from "../test-support/sse-client.js";

const target = { type: "agent" as const, name: "weather" };
const now = () => new Date().toISOString();
const scriptedRun: [QueryEvent, ...QueryEvent[]] = [
  { type: "query.started", time: now(), namespace: "default", name: "", targets: [target] },
  { type: "target.started", time: now(), target },
  { type: "tool.call.started", time: now(), target, toolName: "get-weather", toolCallId: "c1", arguments: "{}" },
  { type: "tool.call.completed", time: now(), target, toolName: "get-weather", toolCallId: "c1", result: "sunny", isError: false, durationMs: 1 },
  { type: "content.delta", time: now(), target, chunk: "It is " },
  { type: "content.delta", time: now(), target, chunk: "sunny." },
  { type: "query.completed", time: now(), responses: [{ target, content: "It is sunny." }], tokenUsage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } },
];
const scriptedTypes = scriptedRun.map((e) => e.type);

describe.skipIf(!testPostgres())("query events over SSE, and ?wait=", () => {
  let stack: TestStack;
  let ark: ReturnType<typeof createArkClient>;
  beforeAll(async () => {
    stack = await startTestStack("ark-api-sse");
    ark = createArkClient(stack.kubeConfig);
  });
  afterAll(async () => stack?.close());

  async function createQuery(name: string) {
    const created = await stack.call("POST", "/v1/namespaces/default/queries", { name, input: "weather?", targets: [target] });
    expect(created.status).toBe(200);
    return { namespace: "default", name, queryUid: created.body.uid as string };
  }

  const eventsUrl = (name: string) => `${stack.api.url}/v1/namespaces/default/queries/${name}/events`;

  it("streams a scripted run in order, live, and ends with query.completed", async () => {
    const ref = await createQuery("live");
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const reading = readSse(eventsUrl("live"), { onOpen: () => opened() });
    await stack.bus.publishEvent(ref, scriptedRun[0]);
    await open;
    for (const event of scriptedRun.slice(1)) await stack.bus.publishEvent(ref, event);
    const { messages } = await reading;
    expect(messages.map((m) => m.event)).toEqual(scriptedTypes);
    expect(JSON.parse(messages.at(-1)!.data).responses[0].content).toBe("It is sunny.");
    const ids = messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("opens the stream of a query with no events yet before its first event", async () => {
    const ref = await createQuery("quiet");
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const reading = readSse(eventsUrl("quiet"), { onOpen: () => opened() });
    // The client sees the stream open (its headers) with nothing published for the query, long before the first
    // keep-alive comment (15 s) would have carried them.
    const within = await Promise.race([open.then(() => "open"), new Promise((resolve) => setTimeout(resolve, 5_000, "still waiting"))]);
    expect(within).toBe("open");
    for (const event of scriptedRun) await stack.bus.publishEvent(ref, event);
    const { messages } = await reading;
    expect(messages.map((m) => m.event)).toEqual(scriptedTypes);
  });

  it("streams a query's events in the answer to its create when the client accepts text/event-stream", async () => {
    const response = await fetch(`${stack.api.url}/v1/namespaces/default/queries`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ name: "streamed", input: "weather?", targets: [target] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("content-location")).toBe("/v1/namespaces/default/queries/streamed");
    const created = await stack.call("GET", "/v1/namespaces/default/queries/streamed");
    const ref = { namespace: "default", name: "streamed", queryUid: created.body.uid as string };
    for (const event of scriptedRun) await stack.bus.publishEvent(ref, event);
    const messages: ServerSentEvent[] = [];
    for await (const message of readServerSentEvents(response.body!)) messages.push(message);
    expect(messages.map((m) => m.event)).toEqual(scriptedTypes);
    // The ids resume on GET …/events as on any stream.
    const resumed = await readSse(eventsUrl("streamed"), { headers: { "last-event-id": messages[4]!.id! } });
    expect(resumed.messages.map((m) => m.event)).toEqual(scriptedTypes.slice(5));
  });

  it("refuses a streamed create with ?wait=, and a bad ?wait=, before creating anything", async () => {
    const refused = await stack.call("POST", "/v1/namespaces/default/queries?wait=30s", { name: "both", input: "hi", targets: [target] }, { accept: "text/event-stream" });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(refused.body)).toContain("querystring.wait");
    const bad = await stack.call("POST", "/v1/namespaces/default/queries?wait=soon", { name: "bad-wait", input: "hi", targets: [target] });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("querystring.wait");
    expect((await stack.call("GET", "/v1/namespaces/default/queries/both")).status).toBe(404);
    expect((await stack.call("GET", "/v1/namespaces/default/queries/bad-wait")).status).toBe(404);
  });

  it("gives a late client every event from the start, and resumes after Last-Event-ID", async () => {
    const ref = await createQuery("late");
    for (const event of scriptedRun) await stack.bus.publishEvent(ref, event);
    const all = await readSse(eventsUrl("late"));
    expect(all.messages.map((m) => m.event)).toEqual(scriptedTypes);

    const resumed = await readSse(eventsUrl("late"), { headers: { "last-event-id": all.messages[2]!.id! } });
    expect(resumed.messages.map((m) => m.event)).toEqual(scriptedTypes.slice(3));
    const byQuery = await readSse(`${eventsUrl("late")}?lastEventId=${all.messages[5]!.id}`);
    expect(byQuery.messages.map((m) => m.event)).toEqual(["query.completed"]);
  });

  it("ends the stream of a query that ended without a terminal event, with whose failure it was", async () => {
    const ref = await createQuery("rejected");
    await stack.bus.publishEvent(ref, scriptedRun[0]);
    const reading = readSse(eventsUrl("rejected"));
    const failure = { code: "CONFIG_ERROR", origin: "user" as const, retryable: false };
    await ark.queries.patchStatus("default", "rejected", { phase: "error", message: "agent weather not found", failure });
    const { messages } = await reading;
    expect(messages.map((m) => m.event)).toEqual(["query.started", "end"]);
    expect(JSON.parse(messages[1]!.data)).toEqual({ phase: "error", message: "agent weather not found", failure });
  });

  it("answers 404 for an unknown query and 422 for a bad Last-Event-ID", async () => {
    expect((await stack.call("GET", "/v1/namespaces/default/queries/nope/events")).status).toBe(404);
    await createQuery("bad-id");
    expect((await stack.call("GET", "/v1/namespaces/default/queries/bad-id/events", undefined, { "last-event-id": "x" })).status).toBe(422);
  });

  it("waits for the result with ?wait=", async () => {
    const finishing = (async () => {
      const query = await vi.waitFor(async () => {
        const created = await ark.queries.get("default", "waited");
        expect(created, "query default/waited").toBeDefined();
        return created!;
      }, WITHIN_TEST_TIMEOUT);
      const ref = { namespace: "default", name: "waited", queryUid: query.metadata.uid! };
      for (const event of scriptedRun) await stack.bus.publishEvent(ref, event);
      await ark.queries.patchStatus("default", "waited", { phase: "done", response: { target, content: "It is sunny." } });
    })();
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=20s", { name: "waited", input: "weather?", targets: [target] });
    await finishing;
    expect(created.status).toBe(200);
    expect(created.body.status).toMatchObject({ phase: "done", response: { content: "It is sunny." } });

    const unfinished = await stack.call("POST", "/v1/namespaces/default/queries?wait=200ms", { name: "unfinished", input: "x", targets: [target] });
    expect(unfinished.status).toBe(202);
    expect((await stack.call("POST", "/v1/namespaces/default/queries?wait=soon", { name: "never", input: "x", targets: [target] })).status).toBe(422);
  });

  it("answers ?wait= from the Query's status alone (no events on the bus), every waiter of it, and 404 when it is deleted while waiting", async () => {
    const finishing = (async () => {
      await expect.poll(() => ark.queries.get("default", "status-only"), WITHIN_TEST_TIMEOUT).toBeDefined();
      await ark.queries.patchStatus("default", "status-only", { phase: "running" });
      await ark.queries.patchStatus("default", "status-only", { phase: "error", message: "model unreachable" });
    })();
    const created = await stack.call("POST", "/v1/namespaces/default/queries?wait=20s", { name: "status-only", input: "x", targets: [target] });
    await finishing;
    expect(created.status).toBe(200);
    expect(created.body.status).toMatchObject({ phase: "error", message: "model unreachable" });

    const deleting = (async () => {
      await expect.poll(() => ark.queries.get("default", "deleted-while-waiting"), WITHIN_TEST_TIMEOUT).toBeDefined();
      await ark.queries.delete("default", "deleted-while-waiting");
    })();
    const deleted = await stack.call("POST", "/v1/namespaces/default/queries?wait=20s", { name: "deleted-while-waiting", input: "x", targets: [target] });
    await deleting;
    expect(deleted.status).toBe(404);
    expect(JSON.stringify(deleted.body)).toContain("deleted while waiting");
  });

  it("cancels a query and filters lists by phase", async () => {
    await createQuery("to-cancel");
    const canceled = await stack.call("PATCH", "/v1/namespaces/default/queries/to-cancel/cancel");
    expect(canceled.body.cancel).toBe(true);
    expect((await stack.call("PATCH", "/v1/namespaces/default/queries/nope/cancel")).status).toBe(404);
    const done = await stack.call("GET", "/v1/namespaces/default/queries?phase=done");
    expect(done.body.items.map((q: { name: string }) => q.name)).toEqual(["waited"]);
  });
});
