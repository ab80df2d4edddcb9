import { ModelSpec } from "@ark/types";
import { type MockModel, startMockModel } from "@ark/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpPools } from "../http/pools.js";
import type { ResourceResolver } from "./resolver.js";
import { runTarget } from "./run-target.js";

// A run's overrides on a Model's calls (docs/upstream-compat.md §6.9), over the provider's own headers.
let mock: MockModel;
let pools: HttpPools;

const resolver = (): ResourceResolver => ({
  getAgent: async () => undefined,
  getTeam: async () => undefined,
  getModel: async (namespace, name) => ({
    metadata: { name, namespace, labels: { gateway: "public" } },
    spec: ModelSpec.parse({
      type: "openai",
      model: { value: "m" },
      config: { openai: { baseUrl: { value: mock.url }, apiKey: { value: "model-key" }, headers: [{ name: "X-Tenant", value: { value: "model" } }] } },
    }),
  }),
  getTool: async () => undefined,
  resolveValue: async (source) => source.value ?? "",
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

describe("overrides on a Model's calls", () => {
  it("replace the Model's headers and the provider's authorization, whatever their case", async () => {
    const overrides = [{ resourceType: "model" as const, labelSelector: { matchLabels: { gateway: "public" } }, headers: { "x-tenant": "query", Authorization: "Bearer gateway-key" } }];
    const outcome = await runTarget({ namespace: "default", target: { type: "model", name: "default" }, input: "hi", resolver: resolver(), providerOptions: { pools }, overrides });
    expect(outcome.ok).toBe(true);
    const [request] = mock.requests;
    expect(request?.headers["x-tenant"]).toBe("query");
    expect(request?.headers.authorization).toBe("Bearer gateway-key");
  });
});
