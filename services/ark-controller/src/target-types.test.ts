import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { finishedQuery, testPostgres } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useControllerSuite } from "./test-support/controller.js";
import { answerQueries, createAgent, createApiKeySecret, createMockModel, createQuery, freshNamespace, queryRequests } from "./test-support/manifests.js";

describe.skipIf(!testPostgres())("ark-controller runs every target type", () => {
  // The weather fixture listens on 127.0.0.1, which tenant HTTP tools may not reach unless allowed.
  const suite = useControllerSuite({ ARK_EGRESS_ALLOW: "127.0.0.1" });
  let weather: Server;
  let weatherUrl: string;

  beforeAll(async () => {
    weather = createServer((req, res) => {
      const city = new URL(req.url ?? "/", "http://localhost").searchParams.get("city");
      res.end(`sunny in ${city}`);
    });
    await new Promise<void>((resolve) => weather.listen(0, "127.0.0.1", resolve));
    weatherUrl = `http://127.0.0.1:${(weather.address() as AddressInfo).port}/weather?city={city}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => weather?.close(resolve));
  });

  async function withModel() {
    const ns = await freshNamespace(suite.stack);
    await createApiKeySecret(suite.stack, ns, "mock-key");
    await createMockModel(suite.stack, ns, "default", { secret: "mock-key" });
    return ns;
  }

  async function createWeatherTool(ns: string) {
    await suite.stack.resources.ark.tools.create({
      metadata: { name: "weather", namespace: ns },
      spec: { type: "http", description: "Weather of a city", http: { url: weatherUrl } },
    });
  }

  const phaseOf = (ns: string, name: string) => finishedQuery(suite.stack.resources.ark.queries, ns, name);

  it("runs a sequential team: done with the last member's answer", async () => {
    answerQueries(suite.stack.mock, (request) => ({ text: `${request.messages[0]?.content} answered` }));
    const ns = await withModel();
    await createAgent(suite.stack, ns, "first", { prompt: "first" });
    await createAgent(suite.stack, ns, "second", { prompt: "second" });
    await suite.stack.resources.ark.teams.create({
      metadata: { name: "crew", namespace: ns },
      spec: {
        strategy: "sequential",
        members: [
          { type: "agent", name: "first" },
          { type: "agent", name: "second" },
        ],
      },
    });
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "team", name: "crew" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", responses: [{ target: { type: "team", name: "crew" }, content: "second answered" }] });
    expect(queryRequests(suite.stack.mock)).toHaveLength(2);
  });

  it("runs a model target: done with the model's answer", async () => {
    answerQueries(suite.stack.mock, { text: "plain answer", usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } });
    const ns = await withModel();
    await createQuery(suite.stack, ns, "q", { input: "hi", target: { type: "model", name: "default" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({
      phase: "done",
      responses: [{ target: { type: "model", name: "default" }, content: "plain answer" }],
      tokenUsage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
    });
  });

  it("runs an HTTP tool target: done with the response body", async () => {
    const ns = await freshNamespace(suite.stack);
    await createWeatherTool(ns);
    await createQuery(suite.stack, ns, "q", { input: '{"city":"Lisbon"}', target: { type: "tool", name: "weather" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", responses: [{ target: { type: "tool", name: "weather" }, content: "sunny in Lisbon" }] });
  });

  it("runs an agent that calls its custom HTTP tool, then answers with the result", async () => {
    answerQueries(suite.stack.mock, (request) => {
      const result = request.messages.find((m) => m.role === "tool");
      return result ? { text: `It is ${result.content}.` } : { toolCalls: [{ name: "weather", arguments: { city: "Porto" } }] };
    });
    const ns = await withModel();
    await createWeatherTool(ns);
    await createAgent(suite.stack, ns, "forecaster", { tools: [{ type: "custom", name: "weather" }] });
    await createQuery(suite.stack, ns, "q", { input: "Weather in Porto?", target: { type: "agent", name: "forecaster" } });
    const query = await phaseOf(ns, "q");
    expect(query.status).toMatchObject({ phase: "done", responses: [{ target: { type: "agent", name: "forecaster" }, content: "It is sunny in Porto." }] });
    expect(queryRequests(suite.stack.mock)[0]?.body).toMatchObject({ tools: [{ type: "function", function: { name: "weather" } }] });
  });
});
