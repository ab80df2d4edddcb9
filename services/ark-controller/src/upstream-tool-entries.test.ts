import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type QueryEvent } from "@ark/types";
import { finishedQuery, testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";

type Message = { role: string; content?: string | null };
type OfferedTool = { function: { name: string; parameters: { properties?: Record<string, unknown> } } };

describe.skipIf(!testPostgres())("ark-controller runs upstream's newer agent tool entries", () => {
  // The weather fixture listens on 127.0.0.1, which tenant HTTP tools may not reach unless allowed.
  const suite = useControllerSuite({ ARK_EGRESS_ALLOW: "127.0.0.1" });
  let weather: Server;
  let weatherUrl: string;
  const weatherRequests: string[] = [];

  beforeAll(async () => {
    weather = createServer((req, res) => {
      weatherRequests.push(req.url ?? "");
      const url = new URL(req.url ?? "/", "http://localhost");
      res.end(`sunny in ${url.searchParams.get("city")} (${url.searchParams.get("unit")})`);
    });
    await new Promise<void>((resolve) => weather.listen(0, "127.0.0.1", resolve));
    weatherUrl = `http://127.0.0.1:${(weather.address() as AddressInfo).port}/weather?city={city}&unit={unit}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => weather?.close(resolve));
  });

  it("an agent calls another agent as a tool and a partial HTTP tool; the hidden parameter comes from the query", async () => {
    answerQueries(suite.stack.mock, (request) => {
      const messages = request.body.messages as Message[];
      if (messages[0]?.content === "You research.") return { text: `research on ${request.lastUserText}`, usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 } };
      const results = messages.filter((m) => m.role === "tool").map((m) => m.content);
      if (results.length > 0) return { text: results.join(" / "), usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } };
      return {
        toolCalls: [
          { name: "ask-researcher", arguments: { input: "Lisbon trams" }, id: "call-research" },
          { name: "local-weather", arguments: { unit: "kelvin" }, id: "call-weather" },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      };
    });
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "weather", namespace: ns },
      spec: {
        type: "http",
        inputSchema: { type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city"] },
        http: { url: weatherUrl },
      },
    });
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "ask-researcher", namespace: ns },
      spec: { type: "agent", description: "Ask the researcher", agent: { name: "researcher" } },
    });
    await createAgent(suite.stack, ns, "researcher", { prompt: "You research." });
    await createAgent(suite.stack, ns, "guide", {
      prompt: "You guide.",
      tools: [
        { type: "agent", name: "ask-researcher" },
        { type: "http", name: "local-weather", description: "Weather here", partial: { name: "weather", parameters: [{ name: "city", value: "{{.Query.city}}" }] } },
      ],
    });
    const created = await createQuery(suite.stack, ns, "q", {
      input: "Plan a day in {{.city}}",
      parameters: [{ name: "city", value: "Lisbon" }],
      target: { type: "agent", name: "guide" },
    });
    const query = await finishedQuery(suite.stack.resources.ark.queries, ns, "q");
    expect(query.status).toMatchObject({
      phase: "done",
      responses: [{ target: { type: "agent", name: "guide" }, content: "research on Lisbon trams / sunny in Lisbon (kelvin)" }],
      // The researcher's call counts once, with the guide's two.
      tokenUsage: { promptTokens: 23, completionTokens: 12, totalTokens: 35 },
    });
    expect(weatherRequests).toEqual(["/weather?city=Lisbon&unit=kelvin"]);
    const bodies = queryRequests(suite.stack.mock).map((r) => r.body as { messages: Message[]; tools?: OfferedTool[] });
    const guideRequest = bodies.find((b) => b.messages[0]?.content === "You guide.");
    const offered = (guideRequest?.tools ?? []).map((t) => t.function);
    expect(offered.map((f) => f.name)).toEqual(["ask-researcher", "local-weather"]);
    expect(Object.keys(offered[1]?.parameters.properties ?? {})).toEqual(["unit"]);

    const events: QueryEvent[] = [];
    for await (const envelope of suite.bus.readEvents({ namespace: ns, name: "q", queryUid: created.metadata.uid! }, { follow: false })) events.push(envelope.event);
    const nested = events.filter((e) => e.parentToolCallId !== undefined);
    expect(nested.map((e) => [e.type, e.agent, e.parentToolCallId])).toEqual([
      ["llm.call.started", `${ns}/researcher`, "call-research"],
      ["llm.call.completed", `${ns}/researcher`, "call-research"],
    ]);
  });

  it("an agent naming a Tool that does not exist waits with a condition naming the entry", async () => {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    await createAgent(suite.stack, ns, "lonely", {
      tools: [
        { type: "builtin", name: "noop" },
        { type: "team", name: "ask-nobody" },
      ],
    });
    const agent = await vi.waitFor(
      async () => {
        const current = await suite.stack.resources.ark.agents.get(ns, "lonely");
        expect(
          current?.status?.conditions?.map((c) => c.type),
          "agent lonely's conditions",
        ).toContain("Available");
        return current!;
      },
      { timeout: 10_000 },
    );
    expect(agent.status?.conditions?.find((c) => c.type === "Available")).toMatchObject({
      status: "False",
      message: expect.stringContaining(`spec.tools[1]: tool "ask-nobody" not found in namespace ${ns}`),
    });
  });
});
