import { randomBytes } from "node:crypto";
import { connectJetStreamBus, deleteBusStreams, type JetStreamQueryBus } from "@ark/bus";
import { loadConfig } from "@ark/service-kit";
import { testNats, testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { arkApiConfig } from "../config.js";
import { start, type RunningArkApi } from "../server.js";
import { startTestStack, type TestStack } from "../test-support/harness.js";
import { readSse } from "../test-support/sse-client.js";

const target = { type: "agent" as const, name: "weather" };
const time = new Date().toISOString();
const run = [
  { type: "query.started", time, namespace: "default", name: "js", targets: [target] },
  { type: "tool.call.started", time, target, callId: "c1", tool: "noop", arguments: "{}" },
  { type: "tool.call.completed", time, target, callId: "c1", tool: "noop", result: "ok" },
  { type: "query.completed", time, responses: [{ target, content: "done" }], tokenUsage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } },
];

describe.skipIf(!testPostgres() || !testNats())("query events over SSE from NATS JetStream", () => {
  let stack: TestStack;
  let bus: JetStreamQueryBus;
  let api: RunningArkApi;
  const natsUrl = () => testNats()!.url;
  const streamPrefix = `TARKAPI_${randomBytes(4).toString("hex")}`;

  beforeAll(async () => {
    stack = await startTestStack("ark-api-jetstream");
    bus = await connectJetStreamBus({ servers: natsUrl(), streamPrefix, subjectPrefix: `tarkapi.${streamPrefix.toLowerCase()}` });
    api = await start(loadConfig(arkApiConfig, { PORT: "0", LOG_LEVEL: "warn", ARK_API_AUTH: "none" }), { bus, kubeConfig: stack.kubeConfig });
  });
  afterAll(async () => {
    await api?.stop();
    await bus?.close();
    await stack?.close();
    await deleteBusStreams(natsUrl(), streamPrefix);
  });

  it("replays a query's events to a late client and resumes after Last-Event-ID", async () => {
    const created = await stack.call("POST", "/v1/namespaces/default/queries", { name: "js", input: "x", targets: [target] });
    const ref = { namespace: "default", name: "js", queryUid: created.body.uid as string };
    const url = `${api.url}/v1/namespaces/default/queries/js/events`;
    const live = readSse(url);
    for (const event of run) await bus.publishEvent(ref, event);
    const all = await live;
    expect(all.messages.map((m) => m.event)).toEqual(run.map((e) => e.type));
    const late = await readSse(url);
    expect(late.messages).toEqual(all.messages);
    const resumed = await readSse(url, { headers: { "last-event-id": all.messages[1]!.id! } });
    expect(resumed.messages.map((m) => m.event)).toEqual(["tool.call.completed", "query.completed"]);
  });

  it("replays a query whose every event ark-api's bus watch saw from its recent events, opening no JetStream consumer", async () => {
    // The watch is open (the test before opened it, and it stays open): it sees this query's events from the first.
    const created = await stack.call("POST", "/v1/namespaces/default/queries", { name: "js-recent", input: "x", targets: [target] });
    const ref = { namespace: "default", name: "js-recent", queryUid: created.body.uid as string };
    for (const event of run) await bus.publishEvent(ref, event);
    const fromBus: number[] = [];
    for await (const envelope of bus.readEvents(ref, { follow: false })) fromBus.push(envelope.seq);
    const readEvents = vi.spyOn(bus, "readEvents");
    const url = `${api.url}/v1/namespaces/default/queries/js-recent/events`;
    // Once the watch has delivered the first event (it delivers asynchronously), no stream reads the bus.
    await vi.waitFor(async () => {
      readEvents.mockClear();
      const late = await readSse(url);
      expect(late.messages.map((m) => Number(m.id))).toEqual(fromBus);
      expect(readEvents).not.toHaveBeenCalled();
    });
    readEvents.mockClear();
    const resumed = await readSse(url, { headers: { "last-event-id": String(fromBus[1]) } });
    expect(resumed.messages.map((m) => m.event)).toEqual(["tool.call.completed", "query.completed"]);
    expect(readEvents).not.toHaveBeenCalled();
    readEvents.mockRestore();
  });
});
