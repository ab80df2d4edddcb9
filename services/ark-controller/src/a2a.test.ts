import { EgressGuard, runTarget, type ResourceResolver } from "@ark/engine";
import type { A2AServer, Agent } from "@ark/kube";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { isTerminalQueryEvent, STREAMING_ANNOTATION, type QueryEvent } from "@ark/types";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startTestA2AServer, type TestA2AServer, type TestA2AServerOptions } from "./test-support/a2a-test-server.js";
import { useControllerSuite } from "./test-support/controller.js";
import { freshNamespace } from "./test-support/manifests.js";

describe.skipIf(!testPostgres())("A2A: A2AServer discovery and agents run by a remote A2A agent", () => {
  // The test A2A servers listen on 127.0.0.1, which tenant A2A servers may not use unless allowed.
  const suite = useControllerSuite({ ARK_EGRESS_ALLOW: "127.0.0.1" });
  const remotes: TestA2AServer[] = [];

  afterAll(async () => {
    await Promise.all(remotes.map((remote) => remote.stop()));
  });

  async function remote(options: TestA2AServerOptions): Promise<TestA2AServer> {
    const server = await startTestA2AServer(options);
    remotes.push(server);
    return server;
  }

  const serverOf = (ns: string, name: string) => async () => (await suite.stack.resources.ark.a2aServers.get(ns, name)) as A2AServer;
  const agentsOf = (ns: string, server: string) => () => suite.stack.resources.ark.agents.list(ns, { labelSelector: `a2a.server/name=${server}` });
  const names = (agents: Agent[]) => agents.map((agent) => agent.metadata.name).sort();
  const ready = (server: A2AServer | undefined) => server?.status?.conditions?.find((c) => c.type === "Ready");

  async function a2aServer(ns: string, name: string, address: string, spec: Record<string, unknown> = {}): Promise<void> {
    await suite.stack.resources.ark.a2aServers.create({ metadata: { name, namespace: ns }, spec: { address: { value: address }, pollInterval: "1s", ...spec } as A2AServer["spec"] });
  }

  /** A namespace with an A2AServer `weather` pointing at a new remote whose Agent is there. */
  async function withRemoteAgent(options: Partial<TestA2AServerOptions> = {}): Promise<{ ns: string; remote: TestA2AServer }> {
    const server = await remote({ name: "Weather Agent", ...options });
    const ns = await freshNamespace(suite.stack);
    await a2aServer(ns, "weather", server.url);
    await expect.poll(agentsOf(ns, "weather"), WITHIN_TEST_TIMEOUT).toHaveLength(1);
    return { ns, remote: server };
  }

  /** Runs a query on the agent and collects its events with the time each arrived. */
  async function query(ns: string, name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}) {
    const created = await suite.stack.resources.ark.queries.create({
      metadata: { name, namespace: ns, annotations },
      spec: { input: "Weather in Chicago?", target: { type: "agent", name: "weather-agent" }, ...spec } as never,
    });
    const arrivals: { event: QueryEvent; at: number }[] = [];
    const events = (async () => {
      for await (const envelope of suite.bus.readEvents({ namespace: ns, name, queryUid: created.metadata.uid! }, { follow: true })) {
        arrivals.push({ event: envelope.event, at: Date.now() });
        if (isTerminalQueryEvent(envelope.event)) break;
      }
      return arrivals;
    })();
    return { events, done: () => finishedQuery(suite.stack.resources.ark.queries, ns, name) };
  }

  it("keeps one Agent for the remote agent (owned, labelled, annotated, executionEngine a2a, headers from a Secret) and a query to it streams the remote answer", async () => {
    const server = await remote({ name: "Weather Agent", requiredHeader: { name: "X-Api-Key", value: "s3cret" } });
    const ns = await freshNamespace(suite.stack);
    await suite.stack.resources.core.secrets.create({ metadata: { name: "a2a-auth", namespace: ns }, stringData: { token: "s3cret" } });
    await a2aServer(ns, "weather", server.url, { headers: [{ name: "X-Api-Key", value: { valueFrom: { secretKeyRef: { name: "a2a-auth", key: "token" } } } }] });

    const status = await vi.waitFor(async () => {
      const value = await serverOf(ns, "weather")();
      expect(ready(value)).toMatchObject({ status: "True" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(status)).toMatchObject({ reason: "AgentDiscovered", message: "Successfully discovered agent weather-agent" });
    expect(status.status?.conditions?.find((c) => c.type === "Discovering")).toMatchObject({ status: "False", reason: "DiscoveryComplete" });
    expect(status.status).toMatchObject({ lastResolvedAddress: server.url, lastResolvedEndpoint: server.url });

    const [agent] = await vi.waitFor(async () => {
      const value = await agentsOf(ns, "weather")();
      expect(value).toHaveLength(1);
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(agent?.metadata.name).toBe("weather-agent");
    expect(agent?.spec).toMatchObject({ description: "The Weather Agent agent", prompt: "You are Weather Agent. The Weather Agent agent", executionEngine: { name: "a2a" } });
    expect(agent?.metadata.annotations).toMatchObject({ "a2a.server/name": "weather", "a2a.server/address": server.url });
    expect(JSON.parse(agent?.metadata.annotations?.["a2a.server/skills"] ?? "[]")).toEqual([expect.objectContaining({ id: "weather", name: "Weather" })]);
    expect(agent?.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "A2AServer", name: "weather", controller: true })]);

    const run = await query(ns, "q", {}, { [STREAMING_ANNOTATION]: "true" });
    const done = await run.done();
    expect(done.status).toMatchObject({ phase: "done", response: { content: "Sunny in Chicago", phase: "done" } });
    // As upstream, the remote's task and context are in status.response.a2a.
    expect(done.status?.response?.a2a).toEqual({ contextId: expect.any(String), taskId: expect.any(String) });
    expect(done.status?.response?.a2a?.taskId).not.toBe("");
    const events = await run.events;
    const deltas = events.filter((e) => e.event.type === "content.delta");
    expect(deltas.map((e) => (e.event as { chunk: string }).chunk)).toEqual(["Sunny ", "in ", "Chicago"]);
    // The first chunk reached the query's events well before the remote sent the last one (150 ms apart).
    const end = events.at(-1)!;
    expect(end.event.type).toBe("query.completed");
    expect(end.at - deltas[0]!.at).toBeGreaterThanOrEqual(200);
    expect(server.received.at(-1)).toEqual(["Weather in Chicago?"]);
    expect(new Set(server.versions)).toEqual(new Set(["1.0"]));
    expect(server.headerValues.length).toBeGreaterThan(0);
    expect(server.headerValues.every((value) => value === "s3cret")).toBe(true);
  });

  it("says so while the remote is down (backing off, the Agent kept), is ready again when it comes back, and follows the remote's agent", async () => {
    const { ns, remote: server } = await withRemoteAgent();
    await expect.poll(async () => ready(await serverOf(ns, "weather")()), WITHIN_TEST_TIMEOUT).toMatchObject({ status: "True" });

    await server.stop();
    const down = await vi.waitFor(async () => {
      const value = await serverOf(ns, "weather")();
      expect(ready(value)).toMatchObject({ status: "False" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(down)).toMatchObject({ reason: "ServerUnreachable", message: expect.stringContaining(`cannot reach ${server.url}/.well-known/agent-card.json`) });
    expect(names(await agentsOf(ns, "weather")())).toEqual(["weather-agent"]);

    await server.listen();
    await expect.poll(async () => ready(await serverOf(ns, "weather")()), WITHIN_TEST_TIMEOUT).toMatchObject({ status: "True" });

    // The remote now offers another agent: its Agent replaces the old one.
    server.name = "Forecast";
    await expect.poll(async () => names(await agentsOf(ns, "weather")()), WITHIN_TEST_TIMEOUT).toEqual(["forecast"]);
    // It offers none: the Agent goes and the condition says why.
    server.cardOverride = "missing";
    await expect.poll(agentsOf(ns, "weather"), WITHIN_TEST_TIMEOUT).toHaveLength(0);
    const gone = await vi.waitFor(async () => {
      const value = await serverOf(ns, "weather")();
      expect(ready(value)).toMatchObject({ reason: "CardNotFound" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(gone)?.message).toContain("no agent card at");
  });

  it("reads a card published only at the 0.3 path agent.json", async () => {
    const server = await remote({ name: "legacy" });
    server.legacyPathOnly = true;
    const ns = await freshNamespace(suite.stack);
    await a2aServer(ns, "old", server.url);
    expect(
      names(
        await vi.waitFor(async () => {
          const value = await agentsOf(ns, "old")();
          expect(value).toHaveLength(1);
          return value;
        }, WITHIN_TEST_TIMEOUT),
      ),
    ).toEqual(["legacy"]);
  });

  it("reports a card that is not JSON, too large, or behind a metadata address in the Ready condition", async () => {
    const server = await remote({ name: "bad" });
    const ns = await freshNamespace(suite.stack);
    server.cardOverride = { body: "<html>hello</html>" };
    await a2aServer(ns, "html", server.url);
    const html = await vi.waitFor(async () => {
      const value = await serverOf(ns, "html")();
      expect(ready(value)).toMatchObject({ reason: "CardNotJson" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(html)).toMatchObject({ status: "False", message: expect.stringContaining("is not JSON") });

    const big = await remote({ name: "big" });
    big.cardOverride = { body: JSON.stringify({ name: "big", description: "x".repeat(300 * 1024) }) };
    await a2aServer(ns, "big", big.url);
    const large = await vi.waitFor(async () => {
      const value = await serverOf(ns, "big")();
      expect(ready(value)).toMatchObject({ reason: "CardTooLarge" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(large)?.message).toContain("more than the 262144");

    await a2aServer(ns, "metadata", "http://169.254.169.254/latest");
    const metadata = await vi.waitFor(async () => {
      const value = await serverOf(ns, "metadata")();
      expect(ready(value)).toMatchObject({ reason: "EgressRefused" });
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(ready(metadata)?.message).toContain("169.254.169.254");
    expect(await agentsOf(ns, "html")()).toEqual([]);
  });

  it("ends the query naming input-required when the remote task asks for input, and in error naming the remote when it fails", async () => {
    const { ns, remote: server } = await withRemoteAgent();
    server.mode = "input-required";
    const asked = await (await query(ns, "ask", {})).done();
    expect(asked.status?.phase).toBe("error");
    expect(asked.status?.message).toMatch(/A2A server .*\/weather: the remote task \S+ ended input-required: Which city\?/);

    server.mode = "fail";
    const failed = await (await query(ns, "fail", {})).done();
    expect(failed.status?.phase).toBe("error");
    expect(failed.status?.message).toMatch(/A2A server .*\/weather: the remote task \S+ ended failed: the weather service is down/);

    await server.stop();
    const unreachable = await (await query(ns, "down", {})).done();
    expect(unreachable.status?.phase).toBe("error");
    expect(unreachable.status?.message).toContain(`/weather: cannot reach ${server.url}`);
    await server.listen();
  });

  // Upstream's A2ATask kind: the record of each remote task a query's A2A agent ran.
  it("records each remote task as an A2ATask owned by its query: completed with the answer, failed with the remote's error", async () => {
    const { ns, remote: server } = await withRemoteAgent();
    const done = await (await query(ns, "recorded", {})).done();
    expect(done.status?.phase).toBe("done");
    const [task] = await vi.waitFor(async () => {
      const value = await suite.stack.resources.ark.a2aTasks.list(ns, { labelSelector: "ark.mckinsey.com/query=recorded" });
      expect(value[0]?.status?.phase).toBe("completed");
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(task!.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: "Query", name: "recorded", uid: done.metadata.uid, controller: true })]);
    expect(task!.spec).toMatchObject({ queryRef: { name: "recorded", namespace: ns }, a2aServerRef: { name: "weather" }, agentRef: { name: "weather-agent" }, input: "Weather in Chicago?" });
    expect(task!.spec.taskId).not.toBe("");
    expect(task!.status).toMatchObject({ phase: "completed", protocolState: "completed", artifacts: [{ parts: [{ kind: "text", text: "Sunny in Chicago" }] }] });
    expect(task!.status?.startTime && task!.status?.completionTime).toBeTruthy();
    expect(task!.status?.conditions?.find((c) => c.type === "Completed")?.status).toBe("True");

    server.mode = "fail";
    const failed = await (await query(ns, "broken", {})).done();
    expect(failed.status?.phase).toBe("error");
    const [failedTask] = await vi.waitFor(async () => {
      const value = await suite.stack.resources.ark.a2aTasks.list(ns, { labelSelector: "ark.mckinsey.com/query=broken" });
      expect(value[0]?.status?.completionTime).toBeDefined();
      return value;
    }, WITHIN_TEST_TIMEOUT);
    expect(failedTask!.status).toMatchObject({ phase: "failed", protocolState: "failed" });
    expect(failedTask!.status?.error).toContain("the weather service is down");
    server.mode = "answer";
  });

  it("cancels the remote task when the query is canceled or times out, or the A2AServer's timeout passes", async () => {
    const { ns, remote: server } = await withRemoteAgent();
    server.mode = "hang";
    const run = await query(ns, "cancel-me", {});
    await expect.poll(async () => server.received.length, WITHIN_TEST_TIMEOUT).toBe(1);
    await suite.stack.resources.ark.queries.patch(ns, "cancel-me", { spec: { cancel: true } });
    expect((await run.done()).status?.phase).toBe("canceled");
    await expect.poll(async () => server.canceled.length, WITHIN_TEST_TIMEOUT).toBe(1);

    const slow = await (await query(ns, "slow", { timeout: "1s" })).done();
    expect(slow.status?.phase).toBe("error");
    expect(slow.status?.message).toContain("timed out");
    await expect.poll(async () => server.canceled.length, WITHIN_TEST_TIMEOUT).toBe(2);

    // The A2AServer's own spec.timeout bounds the call too.
    await suite.stack.resources.ark.a2aServers.patch(ns, "weather", { spec: { timeout: "1s" } } as never);
    const bounded = await (await query(ns, "bounded", {})).done();
    expect(bounded.status?.message).toContain("timed out");
    await expect.poll(async () => server.canceled.length, WITHIN_TEST_TIMEOUT).toBe(3);
  });

  it.each([true, false])("talks to an A2A 0.3 server by its 0.3 card (streaming %s)", async (streaming) => {
    const { ns, remote: server } = await withRemoteAgent({ protocol: "0.3", streaming });
    const run = await query(ns, "legacy", {}, { [STREAMING_ANNOTATION]: "true" });
    expect((await run.done()).status).toMatchObject({ phase: "done", response: { content: "Sunny in Chicago" } });
    expect((await run.events).filter((e) => e.event.type === "content.delta").length).toBe(streaming ? 3 : 0);
    expect(server.received.at(-1)).toEqual(["Weather in Chicago?"]);
    expect(new Set(server.versions)).toEqual(new Set(["0.3"]));
  });

  it("answers without streaming (polling the task) when the card does not stream", async () => {
    const { ns } = await withRemoteAgent({ streaming: false });
    const run = await query(ns, "plain", {}, { [STREAMING_ANNOTATION]: "true" });
    const polled = (await run.done()).status;
    expect(polled).toMatchObject({ phase: "done", response: { content: "Sunny in Chicago" } });
    expect(polled?.response?.a2a?.taskId).toEqual(expect.any(String));
    expect((await run.events).some((e) => e.event.type === "content.delta")).toBe(false);
  });

  it("runs an A2A agent as a team member, the team's conversation as its history", async () => {
    const { ns, remote: server } = await withRemoteAgent();
    await suite.stack.resources.ark.teams.create({ metadata: { name: "crew", namespace: ns }, spec: { strategy: "sequential", members: [{ type: "agent", name: "weather-agent" }] } as never });
    const done = await (await query(ns, "team-q", { target: { type: "team", name: "crew" } })).done();
    expect(done.status).toMatchObject({ phase: "done", response: { content: "Sunny in Chicago" } });
    expect(server.received.at(-1)).toEqual(["Weather in Chicago?"]);
  });

  it("calls the A2AServer of the agent's own namespace at the server's address, whatever the Agent's annotations say", async () => {
    const { ns: other } = await withRemoteAgent();
    const ns = await freshNamespace(suite.stack);
    const annotations = { "a2a.server/name": "weather", "a2a.server/address": "http://127.0.0.1:9/" };
    await suite.stack.resources.ark.agents.create({ metadata: { name: "weather-agent", namespace: ns, annotations }, spec: { executionEngine: { name: "a2a" } } as never });
    const crossed = await (await query(ns, "crossed", {})).done();
    expect(crossed.status?.phase).toBe("error");
    expect(crossed.status?.message).toContain(`A2AServer "weather" not found in namespace ${ns}`);

    // In the server's namespace, an Agent whose annotation points elsewhere still reaches the A2AServer's address.
    await suite.stack.resources.ark.agents.create({ metadata: { name: "spoof", namespace: other, annotations }, spec: { executionEngine: { name: "a2a" } } as never });
    const spoofed = await (await query(other, "spoofed", { target: { type: "agent", name: "spoof" } })).done();
    expect(spoofed.status).toMatchObject({ phase: "done", response: { content: "Sunny in Chicago" } });
  });

  it("sends the session history before the input, one text part per turn", async () => {
    const server = await remote({ name: "historian", chunkDelayMs: 0 });
    const agent = { metadata: { name: "historian", namespace: "ns", annotations: { "a2a.server/name": "hist" } }, spec: { executionEngine: { name: "a2a" } } };
    const resolver: ResourceResolver = {
      getAgent: async () => agent,
      getTeam: async () => undefined,
      getModel: async () => undefined,
      getTool: async () => undefined,
      resolveValue: async () => "",
      configValues: { getSecretValue: async () => undefined, getConfigMapValue: async () => undefined },
      getA2AServer: async () => ({ address: server.url, headers: {} }),
    };
    const egress = new EgressGuard({ allow: ["127.0.0.1"] });
    const outcome = await runTarget({
      namespace: "ns",
      target: { type: "agent", name: "historian" },
      input: "And tomorrow?",
      history: [
        { role: "user", content: "Weather in Chicago?" },
        { role: "assistant", content: "Sunny." },
      ],
      resolver,
      egress,
    });
    await egress.close();
    expect(outcome).toMatchObject({ ok: true, content: "Sunny in Chicago" });
    expect(server.received.at(-1)).toEqual(["user: Weather in Chicago?", "assistant: Sunny.", "And tomorrow?"]);
  });
});
