import { describe, expect, it } from "vitest";
import { createAnthropicProvider } from "./anthropic.js";
import { wireConformance } from "./conformance.js";
import { anthropicFixtures } from "./conformance/anthropic.js";

wireConformance({
  name: "anthropic",
  fixtures: anthropicFixtures,
  create: (baseUrl, { properties, ...options }) => createAnthropicProvider({ type: "anthropic", model: "claude-test", baseUrl, apiKey: "sk-ant-test", properties }, options),
});

describe("anthropic provider", () => {
  it("defaults to the public endpoint and accepts a base ending in /v1", () => {
    const config = { type: "anthropic", model: "claude-x", apiKey: "k" };
    expect(createAnthropicProvider({ ...config, baseUrl: "" }).description).toBe('model "claude-x" at https://api.anthropic.com');
    expect(createAnthropicProvider({ ...config, baseUrl: "https://gw.example/anthropic/v1/" }).description).toBe('model "claude-x" at https://gw.example/anthropic');
  });
});
