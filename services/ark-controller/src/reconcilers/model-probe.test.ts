import type { Model } from "@ark/kube";
import { type RecordingServer, startRecordingServer } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeModel } from "./model-probe.js";

// A minimal answer to "Hello" in each vendor's wire format.
const ANSWERS: Record<string, { path: RegExp; body: unknown }> = {
  openai: { path: /^\/v1\/chat\/completions$/, body: { choices: [{ message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }], usage: {} } },
  anthropic: { path: /^\/v1\/messages$/, body: { type: "message", role: "assistant", content: [{ type: "text", text: "Hi" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } } },
  gemini: { path: /^\/v1beta\/models\/m:generateContent$/, body: { candidates: [{ content: { role: "model", parts: [{ text: "Hi" }] }, finishReason: "STOP" }] } },
  ollama: { path: /^\/api\/chat$/, body: { message: { role: "assistant", content: "Hi" }, done: true, done_reason: "stop" } },
  bedrock: { path: /^\/model\/m\/converse$/, body: { output: { message: { role: "assistant", content: [{ text: "Hi" }] } }, stopReason: "end_turn", usage: {} } },
};

function model(type: string, baseUrl: string): Model {
  const key = { value: "k" };
  const configs: Record<string, unknown> = {
    openai: { baseUrl: { value: `${baseUrl}/v1` }, apiKey: key },
    anthropic: { baseUrl: { value: baseUrl }, apiKey: key },
    gemini: { baseUrl: { value: baseUrl }, apiKey: key },
    ollama: { baseUrl: { value: baseUrl } },
    bedrock: { baseUrl: { value: baseUrl }, region: { value: "us-east-1" }, accessKeyId: { value: "AKID" }, secretAccessKey: key },
  };
  return { metadata: { namespace: "ai", name: type }, spec: { type, model: { value: "m" }, config: { [type]: configs[type] } } } as unknown as Model;
}

describe("probeModel", () => {
  let server: RecordingServer;
  const resources = { resolveValueSource: async (source: { value?: string }) => source.value ?? "" };

  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(() => server.close());

  it.each(Object.keys(ANSWERS))("probes a %s Model through its native provider", async (type) => {
    server.reset();
    server.respond((request, res) => {
      const answer = Object.values(ANSWERS).find((a) => a.path.test(request.url.split("?")[0]!));
      res.writeHead(answer ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(answer?.body ?? { error: "no route" }));
    });
    const result = await probeModel(model(type, server.url), resources as never, 5_000);
    expect(result).toEqual({ ok: true, message: `model ai/${type} (m) at ${server.url}${type === "openai" ? "/v1" : ""} answered the probe` });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.url.split("?")[0]).toMatch(ANSWERS[type]!.path);
  });

  // Upstream's newer shape: spec.provider with type completions, and headers in the provider's config block.
  it.each(Object.keys(ANSWERS))("sends a %s Model's spec.config headers (values and ConfigMaps) on the probe", async (type) => {
    server.reset();
    server.respond((request, res) => {
      const answer = Object.values(ANSWERS).find((a) => a.path.test(request.url.split("?")[0]!));
      res.writeHead(answer ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(answer?.body ?? { error: "no route" }));
    });
    const withHeaders = model(type, server.url);
    const spec = withHeaders.spec as unknown as Record<string, any>;
    spec.provider = type;
    spec.type = "completions";
    spec.config[type].headers = [
      { name: "X-Gateway-Tenant", value: { value: "team-a" } },
      { name: "X-Route", value: { valueFrom: { configMapKeyRef: { name: "routing", key: "route" } } } },
      { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
    ];
    const configMaps = {
      resolveValueSource: async (source: { value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string } } }) => {
        const ref = source.valueFrom?.configMapKeyRef;
        return ref ? `${ref.name}/${ref.key}` : (source.value ?? "");
      },
    };
    const result = await probeModel(withHeaders, configMaps as never, 5_000);
    expect(result.ok, result.message).toBe(true);
    expect(server.requests).toHaveLength(1);
    const headers = server.requests[0]!.headers;
    expect(headers["x-gateway-tenant"]).toBe("team-a");
    expect(headers["x-route"]).toBe("routing/route");
    // No query runs a probe: a header read from a query parameter is left out.
    expect(headers["x-user"]).toBeUndefined();
  });

  it("reports the vendor's own error when the probe is refused", async () => {
    server.reset();
    server.respond((_request, res) => {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } }));
    });
    const result = await probeModel(model("anthropic", server.url), resources as never, 5_000);
    expect(result).toEqual({ ok: false, message: `model ai/anthropic (m) at ${server.url}: HTTP 401: invalid x-api-key` });
    expect(server.requests).toHaveLength(1);
  });
});
