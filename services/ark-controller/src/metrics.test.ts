import { request as httpsRequest } from "node:https";
import { finishedQuery, testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace } from "./test-support/manifests.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (prom-client's output: no escaped quotes in our label values). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`; undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const matching = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}

function httpsGetText(url: string, token: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { headers: { authorization: `Bearer ${token}` }, ...(ca ? { ca } : {}) }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const TOOL_CALL_USAGE = { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 };
const ANSWER_USAGE = { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 };

describe.skipIf(!testPostgres())("ark-controller and ark-apiserver /metrics after a few queries", () => {
  const suite = useControllerSuite({ QUERY_REFERENCE_WAIT: "4s" });

  it("counts queries by phase and target type, model calls and tokens by model, tool calls, bus and reconcile work", async () => {
    // Each query: the model asks for noop, then answers once it has the result — two model calls, one tool call.
    answerQueries(suite.stack.mock, (request) => (request.messages.some((m) => m.role === "tool") ? { text: "done", usage: ANSWER_USAGE } : { toolCalls: [{ name: "noop", arguments: {} }], usage: TOOL_CALL_USAGE }));
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "caller", { tools: [{ type: "built-in", name: "noop" }] });
    const names = ["q1", "q2", "q3"];
    for (const name of names) await createQuery(suite.stack, ns, name, { input: "go", target: { type: "agent", name: "caller" } });
    // A query whose agent never appears ends in error once QUERY_REFERENCE_WAIT is over (4 s: long enough that its first
    // reconcile, late on a loaded machine, still finds it waiting, so it counts as pending first).
    await createQuery(suite.stack, ns, "orphan", { input: "go", target: { type: "agent", name: "missing" } });
    for (const name of names) expect((await finishedQuery(suite.stack.resources.ark.queries, ns, name)).status?.phase).toBe("done");
    expect((await finishedQuery(suite.stack.resources.ark.queries, ns, "orphan")).status?.phase).toBe("error");

    const response = await fetch(`${suite.controller.url}/metrics`);
    expect(response.status).toBe(200);
    const controller = parseMetrics(await response.text());
    const agent = { target_type: "agent" };
    expect(valueOf(controller, "ark_queries_total", { ...agent, phase: "running" })).toBe(3);
    expect(valueOf(controller, "ark_queries_total", { ...agent, phase: "done" })).toBe(3);
    expect(valueOf(controller, "ark_queries_total", { ...agent, phase: "error" })).toBe(1);
    expect(valueOf(controller, "ark_queries_total", { ...agent, phase: "pending" })).toBe(1);
    expect(valueOf(controller, "ark_queries", { ...agent, phase: "done" })).toBe(3);
    expect(valueOf(controller, "ark_queries", { ...agent, phase: "error" })).toBe(1);
    expect(valueOf(controller, "ark_query_duration_seconds_count", { ...agent, phase: "done" })).toBe(3);
    expect(valueOf(controller, "ark_query_duration_seconds_sum", { ...agent, phase: "done" })).toBeGreaterThan(0);
    // The orphan waited QUERY_REFERENCE_WAIT (4 s) before failing.
    expect(valueOf(controller, "ark_query_duration_seconds_sum", { ...agent, phase: "error" })).toBeGreaterThanOrEqual(4);
    expect(valueOf(controller, "ark_query_queue_seconds_count", agent)).toBe(3);
    expect(valueOf(controller, "ark_query_runs_total", { outcome: "completed" })).toBe(3);

    const model = { model: "mock-model" };
    expect(valueOf(controller, "ark_model_call_duration_seconds_count", { ...model, outcome: "success" })).toBe(6);
    expect(valueOf(controller, "ark_model_tokens_total", { ...model, direction: "input" })).toBe(3 * (TOOL_CALL_USAGE.prompt_tokens + ANSWER_USAGE.prompt_tokens));
    expect(valueOf(controller, "ark_model_tokens_total", { ...model, direction: "output" })).toBe(3 * (TOOL_CALL_USAGE.completion_tokens + ANSWER_USAGE.completion_tokens));
    expect(valueOf(controller, "ark_tool_calls_total", { tool: "noop", outcome: "success" })).toBe(3);
    expect(valueOf(controller, "ark_tool_call_duration_seconds_count", { tool: "noop" })).toBe(3);

    expect(valueOf(controller, "ark_bus_delivery_lag_seconds_count", { kind: "run" })).toBe(3);
    // query.started, two llm and two tool events, the answer and the terminal event at least, for each run.
    expect(valueOf(controller, "ark_bus_delivery_lag_seconds_count", { kind: "event" })).toBeGreaterThanOrEqual(3 * 5);
    expect(valueOf(controller, "ark_bus_redeliveries_total")).toBe(0);
    expect(valueOf(controller, "ark_worker_runs_in_flight")).toBe(0);
    expect(valueOf(controller, "ark_workqueue_depth", { controller: "query" })).toBeGreaterThanOrEqual(0);
    expect(valueOf(controller, "ark_reconcile_duration_seconds_count", { controller: "query" })).toBeGreaterThanOrEqual(4);
    expect(valueOf(controller, "ark_reconcile_duration_seconds_count", { controller: "agent" })).toBeGreaterThanOrEqual(1);
    // No query name is ever a label.
    expect(controller.some((s) => Object.values(s.labels).some((v) => names.includes(v) || v === "orphan"))).toBe(false);

    // ark-apiserver's /metrics is authenticated like Kubernetes' (a token allowed `get` on the non-resource URL).
    const { api } = suite.stack;
    expect((await httpsGetText(`${api.url}/metrics`, "wrong-token", api.caPem)).status).toBe(401);
    const scraped = await httpsGetText(`${api.url}/metrics`, api.token, api.caPem);
    expect(scraped.status).toBe(200);
    const apiserver = parseMetrics(scraped.body);
    const queries = { group: "ark.mckinsey.com", resource: "queries" };
    expect(valueOf(apiserver, "apiserver_request_duration_seconds_count", { ...queries, verb: "create", subresource: "", code: "201" })).toBe(4);
    expect(valueOf(apiserver, "apiserver_request_duration_seconds_count", { ...queries, verb: "patch", subresource: "status" })).toBeGreaterThanOrEqual(4);
    // The controller's informers watch queries, agents, models… for as long as it runs.
    expect(valueOf(apiserver, "apiserver_registered_watchers", queries)).toBeGreaterThanOrEqual(1);
    expect(valueOf(apiserver, "apiserver_registered_watchers", { group: "ark.mckinsey.com", resource: "agents" })).toBeGreaterThanOrEqual(1);
  });
});
