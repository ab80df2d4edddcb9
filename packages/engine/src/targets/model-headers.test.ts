import { ModelSpec } from "@ark/types";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpPools } from "../http/pools.js";
import type { ResourceResolver } from "./resolver.js";
import { runTarget } from "./run-target.js";

// Upstream's newer Model: spec.provider + type completions, headers in the provider's config block (docs/upstream-compat.md §8).
let mock: MockModel;
let pools: HttpPools;

function upstreamModel(baseUrl: string) {
  return {
    metadata: { name: "gateway", namespace: "default" },
    spec: ModelSpec.parse({
      provider: "openai",
      type: "completions",
      model: { value: "gpt-4.1-mini" },
      pollInterval: "30s",
      config: {
        openai: {
          baseUrl: { value: baseUrl },
          apiKey: { value: "k" },
          headers: [
            { name: "X-Tenant", value: { value: "team-a" } },
            { name: "X-Gateway-Key", value: { valueFrom: { secretKeyRef: { name: "gateway", key: "token" } } } },
            { name: "X-Route", value: { valueFrom: { configMapKeyRef: { name: "routing", key: "route" } } } },
            { name: "X-User", value: { valueFrom: { queryParameterRef: { name: "user" } } } },
          ],
        },
      },
    }),
  };
}

const resolver = (): ResourceResolver => ({
  getAgent: async () => undefined,
  getTeam: async () => undefined,
  getModel: async (_ns, name) => (name === "gateway" ? (upstreamModel(mock.url) as never) : undefined),
  getTool: async () => undefined,
  resolveValue: async (source) => {
    const from = source.valueFrom;
    if (from?.secretKeyRef) return `secret:${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
    if (from?.configMapKeyRef) return `configmap:${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
    return source.value ?? "";
  },
  configValues: { getSecretValue: async () => undefined, getConfigMapValue: async () => undefined },
});

beforeAll(async () => {
  mock = await startMockModel();
  pools = new HttpPools();
});
afterAll(async () => {
  await pools.close();
  await mock.close();
});
beforeEach(() => mock.reset());

describe("a Model's spec.config.<provider>.headers", () => {
  it("are sent on every call: values, Secrets, ConfigMaps and the query's parameters", async () => {
    mock.script({ text: "one" }, { text: "two" });
    for (const user of ["alice", "bob"]) {
      const outcome = await runTarget({ namespace: "default", target: { type: "model", name: "gateway" }, input: "hi", resolver: resolver(), providerOptions: { pools }, queryParameters: { user } });
      expect(outcome.ok).toBe(true);
    }
    expect(mock.requests.map((r) => r.headers["x-user"])).toEqual(["alice", "bob"]);
    for (const request of mock.requests) {
      expect(request.headers).toMatchObject({ "x-tenant": "team-a", "x-gateway-key": "secret:gateway/token", "x-route": "configmap:routing/route", authorization: "Bearer k" });
      expect((request.body as { model: string }).model).toBe("gpt-4.1-mini");
    }
  });

  it("a header naming a parameter the query lacks fails the target naming the header", async () => {
    const outcome = await runTarget({ namespace: "default", target: { type: "model", name: "gateway" }, input: "hi", resolver: resolver(), providerOptions: { pools } });
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? "" : outcome.message).toContain('spec.config.openai.headers[3] (X-User): query parameter "user" not found');
    expect(mock.requests).toHaveLength(0);
  });
});
