import type { MockChatRequest } from "@ark/testing";
import { finishedQuery, testPostgres, WITHIN_TEST_TIMEOUT } from "@ark/testing/vitest";
import { describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";

const SELECT = "Select the next participant to respond.";

describe.skipIf(!testPostgres())("ark-controller runs team strategies, label selectors and guarded HTTP tools", () => {
  const suite = useControllerSuite();

  async function withModel() {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    return ns;
  }

  const phaseOf = (ns: string, name: string) => finishedQuery(suite.stack.resources.ark.queries, ns, name);
  /** Agents are prompted `You are <name>.`: who a request was for. */
  const speaker = (request: { messages: { role: string; content?: unknown }[] }) => String(request.messages[0]?.content).replace(/^You are (.*)\.$/, "$1");
  const messagesOf = (request: { body: unknown }) => (request.body as { messages: { role: string; content?: unknown }[] }).messages;

  async function agents(ns: string, ...names: string[]) {
    for (const name of names) await createAgent(suite.stack, ns, name, { prompt: `You are ${name}.`, description: `the ${name}` });
  }

  /** The team's Available condition once it has `status` (and, for False, mentions `about`). */
  function availability(ns: string, team: string, status: "True" | "False", about = "") {
    return vi.waitFor(async () => {
      const condition = (await suite.stack.resources.ark.teams.get(ns, team))?.status?.conditions?.find((c) => c.type === "Available");
      expect(condition, `team ${ns}/${team}'s Available condition`).toMatchObject({ status, message: expect.stringContaining(about) });
      return condition!;
    }, WITHIN_TEST_TIMEOUT);
  }

  it("reports a cycle of teams in the Available condition of every team on it, before any query", async () => {
    const ns = await withModel();
    await agents(ns, "solo");
    await suite.stack.resources.ark.teams.create({ metadata: { name: "alpha", namespace: ns }, spec: { strategy: "sequential", members: [{ type: "team", name: "beta" }] } });
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "beta", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "solo" },
          { type: "team", name: "alpha" },
        ],
      },
    });
    expect((await availability(ns, "alpha", "False", "cycle")).message).toBe(`team ${ns}/alpha: spec.members: cycle of teams alpha → beta → alpha`);
    expect((await availability(ns, "beta", "False", "cycle")).message).toBe(`team ${ns}/beta: spec.members: cycle of teams beta → alpha → beta`);

    // Breaking the cycle makes both available.
    await suite.stack.resources.ark.teams.patch(ns, "beta", { spec: { members: [{ type: "agent", name: "solo" }] } });
    await availability(ns, "beta", "True");
    await availability(ns, "alpha", "True");
    expect(queryRequests(suite.stack.mock)).toHaveLength(0);
  });

  it("runs a selector team: the selector model sees the roles and the user's input, its picks speak in turn, maxTurns ends it done", async () => {
    const ns = await withModel();
    await agents(ns, "writer", "critic");
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "panel", namespace: ns },
      spec: {
        strategy: "selector",
        maxTurns: 2,
        members: [
          { type: "agent", name: "writer" },
          { type: "agent", name: "critic" },
        ],
      },
    });
    const picks = ["critic", "writer"];
    answerQueries(suite.stack.mock, (request: MockChatRequest) => (request.lastUserText === SELECT ? (picks.shift() ?? "nobody") : `${speaker(request)} spoke`));
    await createQuery(suite.stack, ns, "q", { input: "A poem about rain", target: { type: "team", name: "panel" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", response: { target: { type: "team", name: "panel" }, content: "writer spoke" } });
    // Done, and it says why: the team stopped at maxTurns.
    expect(query.status?.message).toBe(`the query finished: team ${ns}/panel stopped at maxTurns (2)`);
    expect(query.status?.conditions?.find((c) => c.type === "Completed")).toMatchObject({ status: "True", reason: "MaxTurnsReached" });

    const requests = queryRequests(suite.stack.mock).map(messagesOf);
    expect(requests.map((m) => (m.at(-1)?.content === SELECT ? "select" : speaker({ messages: m })))).toEqual(["select", "critic", "select", "writer"]);
    const firstPrompt = String(requests[0]![0]!.content);
    expect(firstPrompt).toContain("writer: the writer, critic: the critic");
    expect(firstPrompt).toContain("# user:\nA poem about rain");
    // The second speaker sees the first one's turn, then the user's input.
    expect(requests[3]!.slice(1)).toMatchObject([
      { role: "assistant", content: "critic spoke" },
      { role: "user", content: "A poem about rain" },
    ]);
  });

  // Upstream's newer selector (docs/upstream-compat.md §6.6): an Agent picks, and with the terminate tool it ends the team.
  it("runs a selector team whose selector is an agent: its own prompt and the selection prompt, then its terminate call ends the team", async () => {
    const ns = await withModel();
    await agents(ns, "writer", "critic", "planner");
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "panel", namespace: ns },
      spec: {
        strategy: "selector",
        maxTurns: 5,
        members: [
          { type: "agent", name: "writer" },
          { type: "agent", name: "critic" },
        ],
        selector: { agent: "planner", enableTerminateTool: true, terminatePrompt: "End once the critic has spoken." },
      },
    });
    await availability(ns, "panel", "True");
    let selections = 0;
    answerQueries(suite.stack.mock, (request: MockChatRequest) => {
      if (request.lastUserText !== SELECT) return `${speaker(request)} spoke`;
      selections += 1;
      return selections === 1 ? "critic" : { toolCalls: [{ name: "terminate", arguments: { response: "enough" } }] };
    });
    await createQuery(suite.stack, ns, "q", { input: "A poem about rain", target: { type: "team", name: "panel" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", response: { content: "critic spoke" } });
    expect(query.status?.message).toBe(`the query finished: team ${ns}/panel: selector agent planner ended the team (terminate)`);
    expect(query.status?.conditions?.find((c) => c.type === "Completed")?.reason).toBe("Terminated");

    const requests = queryRequests(suite.stack.mock);
    expect(requests.map((r) => (messagesOf(r).at(-1)?.content === SELECT ? "select" : speaker({ messages: messagesOf(r) })))).toEqual(["select", "critic", "select"]);
    const selection = messagesOf(requests[0]!);
    // The selector agent's own prompt first, then the selection prompt with the terminate prompt, then the ask.
    expect(selection[0]).toEqual({ role: "system", content: "You are planner." });
    expect(String(selection[1]!.content)).toContain("writer: the writer, critic: the critic");
    expect(String(selection[1]!.content)).toMatch(/End once the critic has spoken\.$/);
    const tools = (requests[0]!.body as { tools?: { function: { name: string } }[] }).tools?.map((t) => t.function.name);
    expect(tools).toEqual(["terminate"]);
  });

  it("reports a selector agent that does not exist in the team's Available condition", async () => {
    const ns = await withModel();
    await agents(ns, "writer");
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "panel", namespace: ns },
      spec: { strategy: "selector", members: [{ type: "agent", name: "writer" }], selector: { agent: "ghost" } },
    });
    expect((await availability(ns, "panel", "False", "ghost")).message).toBe(`team ${ns}/panel: spec.selector.agent: agent "ghost" not found in namespace ${ns}`);
  });

  it("runs a sequential team with loops in rounds until maxTurns", async () => {
    const ns = await withModel();
    await agents(ns, "draft", "edit");
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "workshop", namespace: ns },
      spec: {
        strategy: "sequential",
        loops: true,
        maxTurns: 2,
        members: [
          { type: "agent", name: "draft" },
          { type: "agent", name: "edit" },
        ],
      },
    });
    answerQueries(suite.stack.mock, (request) => `${speaker(request)} turn`);
    await createQuery(suite.stack, ns, "q", { input: "a haiku", target: { type: "team", name: "workshop" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", response: { content: "edit turn" } });
    expect(query.status?.conditions?.find((c) => c.type === "Completed")?.reason).toBe("MaxTurnsReached");
    expect(queryRequests(suite.stack.mock).map((r) => speaker({ messages: messagesOf(r) }))).toEqual(["draft", "edit", "draft", "edit"]);
  });

  it("runs a graph team from the first member along the edges to a member without an outgoing edge", async () => {
    const ns = await withModel();
    await agents(ns, "plan", "build", "review");
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "pipeline", namespace: ns },
      spec: {
        strategy: "graph",
        members: [
          { type: "agent", name: "plan" },
          { type: "agent", name: "build" },
          { type: "agent", name: "review" },
        ],
        graph: {
          edges: [
            { from: "plan", to: "review" },
            { from: "review", to: "build" },
          ],
        },
      },
    });
    answerQueries(suite.stack.mock, (request) => `${speaker(request)} done`);
    await createQuery(suite.stack, ns, "q", { input: "ship it", target: { type: "team", name: "pipeline" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", response: { content: "build done" } });
    expect(query.status?.message).toBe(`the query finished: team ${ns}/pipeline: the graph ended at build (no outgoing edge)`);
    expect(query.status?.conditions?.find((c) => c.type === "Completed")?.reason).toBe("GraphEnded");
    const requests = queryRequests(suite.stack.mock).map(messagesOf);
    expect(requests.map((m) => speaker({ messages: m }))).toEqual(["plan", "review", "build"]);
    expect(requests[2]!.slice(1).map((m) => m.content)).toEqual(["plan done", "review done", "ship it"]);
  });

  it("a label selector over three labelled agents runs exactly the two that match", async () => {
    const ns = await withModel();
    for (const [name, tier] of [
      ["gold-1", "gold"],
      ["silver", "silver"],
      ["gold-2", "gold"],
    ] as const) {
      await suite.stack.resources.ark.agents.create({ metadata: { name, namespace: ns, labels: { tier } }, spec: { prompt: `You are ${name}.` } });
    }
    answerQueries(suite.stack.mock, (request) => `${speaker(request)} answers`);
    await createQuery(suite.stack, ns, "q", { input: "hi", selector: { matchLabels: { tier: "gold" } } });
    const query = await phaseOf(ns, "q");
    expect(query.status?.phase).toBe("done");
    expect(query.status?.responses?.map((r) => [r.target.name, r.content]).sort()).toEqual([
      ["gold-1", "gold-1 answers"],
      ["gold-2", "gold-2 answers"],
    ]);
    expect(
      queryRequests(suite.stack.mock)
        .map((r) => speaker({ messages: messagesOf(r) }))
        .sort(),
    ).toEqual(["gold-1", "gold-2"]);
  });

  it("refuses an HTTP tool aimed at the cloud metadata address; the refusal goes back to the model as the tool's error", async () => {
    const ns = await withModel();
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "instance-info", namespace: ns },
      spec: { type: "http", description: "Instance metadata", http: { url: "http://169.254.169.254/latest/meta-data/" } },
    });
    await createAgent(suite.stack, ns, "snoop", { prompt: "You are snoop.", tools: [{ type: "custom", name: "instance-info" }] });
    answerQueries(suite.stack.mock, (request) => {
      const result = request.messages.find((m) => m.role === "tool");
      return result ? { text: `tool said: ${String(result.content)}` } : { toolCalls: [{ name: "instance-info", arguments: {} }] };
    });
    await createQuery(suite.stack, ns, "q", { input: "What instance is this?", target: { type: "agent", name: "snoop" } });
    const query = await phaseOf(ns, "q");
    expect(query.status?.phase).toBe("done");
    const toolMessage = messagesOf(queryRequests(suite.stack.mock)[1]!).find((m) => m.role === "tool");
    expect(toolMessage?.content).toMatch(/^Error: egress to 169\.254\.169\.254 refused/);
    expect(query.status?.response?.content).toContain("refused");
  });
});
