import { describe, expect, it } from "vitest";
import { createAzureProvider, DEFAULT_AZURE_API_VERSION } from "./azure.js";
import { providerConformance, wireConformance } from "./conformance.js";
import { openaiFixtures } from "./conformance/openai.js";

providerConformance({
  name: "azure",
  expectedPath: "/openai/deployments/gpt-deploy/chat/completions",
  checkRequest: (request) => {
    expect(request.headers["api-key"]).toBe("az-key");
    expect(request.query["api-version"]).toBe("2024-06-01");
  },
  create: (mock, { properties, apiKey, ...options }) => createAzureProvider({ type: "azure", model: "gpt-deploy", baseUrl: mock.baseUrl, apiKey: apiKey ?? "az-key", apiVersion: "2024-06-01", properties }, options),
});

wireConformance({
  name: "azure",
  fixtures: openaiFixtures("gpt-deploy", "/openai/deployments/gpt-deploy/chat/completions", (request) => {
    expect(request.headers["api-key"]).toBe("az-key");
    expect(request.query).toEqual({ "api-version": "2024-10-21" });
  }),
  create: (baseUrl, { properties, ...options }) => createAzureProvider({ type: "azure", model: "gpt-deploy", baseUrl, apiKey: "az-key", properties }, options),
});

describe("azure provider", () => {
  it("names the deployment endpoint and defaults the api-version", () => {
    const provider = createAzureProvider({ type: "azure", model: "dep", baseUrl: "https://x.openai.azure.com/", apiKey: "k" });
    expect(provider.description).toBe('model "dep" at https://x.openai.azure.com/openai/deployments/dep');
    expect(DEFAULT_AZURE_API_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
