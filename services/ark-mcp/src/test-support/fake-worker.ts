import type { Query } from "@ark/kube";
import type { QueryEvent, QueryTarget } from "@ark/types";
import type { McpStack } from "./stack.js";

const time = () => new Date().toISOString();

/** Waits for the Query ark-mcp creates in `namespace` (tests may poll; the service does not). */
export async function createdQuery(stack: McpStack, namespace: string): Promise<Query> {
  for (;;) {
    const [query] = await stack.ark.queries.list(namespace);
    if (query) return query;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Plays controller and worker: enqueues the run of the next Query in `namespace`, consumes it, and publishes
 * `events(target)` on the bus, in order. Resolves with the query once the events are out.
 */
export async function runScripted(stack: McpStack, namespace: string, events: (target: QueryTarget) => QueryEvent[]): Promise<Query> {
  const query = await createdQuery(stack, namespace);
  const ref = { namespace, name: query.metadata.name ?? "", queryUid: query.metadata.uid ?? "" };
  let finish!: () => void;
  const published = new Promise<void>((resolve) => (finish = resolve));
  const consumer = await stack.bus.consumeRuns(
    async (job) => {
      if (job.queryUid !== ref.queryUid) throw new Error("not this test's query");
      for (const event of events(query.spec.target!)) await stack.bus.publishEvent(ref, event);
      finish();
    },
    { concurrency: 1, onExhausted: async () => undefined },
  );
  await stack.bus.enqueueRun({ ...ref, generation: 1, enqueuedAt: time() });
  await published;
  await consumer.close();
  return query;
}

export function answeringEvents(answer: string) {
  return (target: QueryTarget): QueryEvent[] => {
    const agent = `${target.name}`;
    return [
      { type: "query.started", time: time(), namespace: "ns", name: "q", targets: [target] },
      { type: "target.started", time: time(), target },
      { type: "llm.call.started", time: time(), target, agent, callId: "c1", model: "default/m" },
      { type: "llm.call.completed", time: time(), target, agent, callId: "c1", model: "default/m", tokenUsage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 }, durationMs: 3 },
      { type: "tool.call.started", time: time(), target, agent, toolName: "weather", toolCallId: "t1", arguments: "{}" },
      { type: "tool.call.completed", time: time(), target, agent, toolName: "weather", toolCallId: "t1", result: "sunny", isError: false, durationMs: 1 },
      { type: "content.delta", time: time(), target, chunk: "It" },
      { type: "target.completed", time: time(), target, content: answer, durationMs: 10 },
      { type: "query.completed", time: time(), responses: [{ target, content: answer }], tokenUsage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 }, durationMs: 12 },
    ];
  };
}
