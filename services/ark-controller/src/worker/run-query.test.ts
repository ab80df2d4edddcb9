import { MemoryQueryBus, type RunConsumer } from "@ark/bus";
import { createLogger } from "@ark/service-kit";
import type { QueryEvent, QueryRunJob } from "@ark/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testPostgres } from "@ark/testing/vitest";
import { startApiStack, type ApiStack } from "../test-support/api-stack.js";
import { eventsUntilTerminal, terminalOf } from "../test-support/bus-events.js";
import { createAgent, createApiKeySecret, createMockModel, createQuery, uniqueName } from "../test-support/manifests.js";
import { startQueryWorker } from "./start-worker.js";

describe.skipIf(!testPostgres())("query worker", () => {
  let stack: ApiStack;
  let bus: MemoryQueryBus<QueryEvent>;
  let worker: RunConsumer;

  beforeAll(async () => {
    stack = await startApiStack();
    bus = new MemoryQueryBus<QueryEvent>();
    worker = await startQueryWorker({
      bus,
      resources: stack.resources,
      concurrency: 4,
      log: createLogger({ level: "silent" }),
      providerOptions: { retry: { baseDelayMs: 10, maxDelayMs: 20 } },
    });
    await createApiKeySecret(stack, "default", "mock-key");
    await createMockModel(stack, "default", "default", { secret: "mock-key" });
  });
  afterAll(async () => {
    await worker?.close({ graceMs: 0 });
    await bus?.close();
    await stack?.close();
  });
  beforeEach(() => stack.mock.reset());

  async function run(spec: Record<string, unknown>, deadlineMs = 60_000) {
    const name = uniqueName("q");
    const query = await createQuery(stack, "default", name, spec);
    const job: QueryRunJob = {
      queryUid: query.metadata.uid!,
      namespace: "default",
      name,
      generation: query.metadata.generation ?? 1,
      enqueuedAt: new Date().toISOString(),
      deadline: new Date(Date.now() + deadlineMs).toISOString(),
    };
    await bus.enqueueRun(job);
    return { job, events: eventsUntilTerminal(bus, job) };
  }

  it("runs an agent target and publishes its answer and the mock's token usage", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    stack.mock.script({ text: "42", usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 } });
    const events = await (await run({ input: "the answer?", target: { type: "agent", name: agent } })).events;
    const end = terminalOf(events);
    expect(end).toMatchObject({ type: "query.completed", responses: [{ target: { type: "agent", name: agent }, content: "42" }] });
    expect(end.tokenUsage).toEqual({ promptTokens: 11, completionTokens: 3, totalTokens: 14 });
    expect(events.map((e) => e.type)).toEqual(["query.started", "target.started", "llm.call.started", "llm.call.completed", "target.completed", "query.completed"]);
  });

  it("fails naming the agent and the missing model", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent, { modelRef: { name: "gpt" } });
    const end = terminalOf(await (await run({ input: "hi", target: { type: "agent", name: agent } })).events);
    expect(end).toMatchObject({ type: "query.failed", message: `agent default/${agent}: model "gpt" not found in namespace default` });
  });

  it("fails with TIMEOUT at the job's deadline", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    stack.mock.script({ hang: true });
    const end = terminalOf(await (await run({ input: "hi", timeout: "300ms", target: { type: "agent", name: agent } }, 300)).events);
    expect(end).toMatchObject({ type: "query.failed", code: "TIMEOUT" });
    expect((end as { message: string }).message).toContain("timed out after 300ms (spec.timeout");
  });

  it("ends canceled when the bus relays a cancel, aborting the model call", async () => {
    const agent = uniqueName("agent");
    await createAgent(stack, "default", agent);
    stack.mock.script({ hang: true });
    const { job, events } = await run({ input: "hi", target: { type: "agent", name: agent } });
    await stack.mock.waitForRequests(1);
    await bus.requestCancel(job, "spec.cancel is true");
    const end = terminalOf(await events);
    expect(end).toMatchObject({ type: "query.canceled", message: "spec.cancel is true" });
  });
});
