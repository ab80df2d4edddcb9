import { initTelemetry, loadConfig, type Telemetry } from "@ark/service-kit";
import { startMockModel, startRecordingServer, type MockModel, type RecordingServer } from "@ark/testing";
import { ToolCallbackResponse } from "@ark/types";
import { afterAll, beforeAll, expect, it } from "vitest";
import { executorConfig, start } from "./server.js";

let telemetry: Telemetry;
let collector: RecordingServer;
let callback: RecordingServer;
let model: MockModel;
let engine: Awaited<ReturnType<typeof start>>;

beforeAll(async () => {
  collector = await startRecordingServer();
  telemetry = await initTelemetry({ serviceName: "executor-langchain", endpoint: collector.url });
  callback = await startRecordingServer();
  model = await startMockModel();
  engine = await start(loadConfig(executorConfig, { PORT: "0", LOG_LEVEL: "silent", ENGINE_TOKEN: "t".repeat(24) }));
});
afterAll(async () => {
  await engine?.stop();
  await telemetry?.shutdown();
  for (const server of [callback, collector, model]) await server?.close();
});

it("calls ARK's tool callback inside the trace of the /execute request", async () => {
  callback.respond((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(ToolCallbackResponse.parse({ content: "sunny", isError: false })));
  });
  model.script({ toolCalls: [{ name: "weather", arguments: { city: "Oslo" } }] }, "It is sunny.");
  const traceId = "0af7651916cd43dd8448eb211c80319c";
  const response = await fetch(`${engine.url}/execute`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${"t".repeat(24)}`, traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    body: JSON.stringify({
      contractVersion: "1",
      agent: { name: "helper", namespace: "ns", prompt: "Help.", description: "", model: { name: "m", type: "openai", config: { openai: { baseUrl: model.url, apiKey: "sk-test" } } } },
      userInput: { role: "user", content: "Weather in Oslo?" },
      history: [],
      tools: [{ name: "weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } } } }],
      toolCallback: { url: `${callback.url}/v1/engine-tool-calls`, token: "run-token" },
      run: { id: "run-1", query: { name: "q", namespace: "ns" } },
    }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(callback.requests).toHaveLength(1);
  expect(callback.requests[0]!.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
});
