import { describe, expect, it } from "vitest";
import { createBedrockProvider } from "./bedrock.js";
import { wireConformance } from "./conformance.js";
import { bedrockFixtures } from "./conformance/bedrock.js";

const bedrock = { region: "eu-west-1", accessKeyId: "AKIDTEST", secretAccessKey: "secret-test" };

wireConformance({
  name: "bedrock",
  fixtures: bedrockFixtures,
  create: (baseUrl, { properties, ...options }) =>
    createBedrockProvider({ type: "bedrock", model: "bedrock-test", baseUrl, apiKey: "", properties, bedrock }, options),
});

describe("bedrock provider", () => {
  it("uses the regional endpoint unless baseUrl overrides it, and names missing settings", () => {
    expect(createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", bedrock }).description).toBe(
      'model "m" at https://bedrock-runtime.eu-west-1.amazonaws.com',
    );
    const saved = { region: process.env["AWS_REGION"], fallback: process.env["AWS_DEFAULT_REGION"] };
    delete process.env["AWS_REGION"];
    delete process.env["AWS_DEFAULT_REGION"];
    try {
      expect(() => createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", resource: "ai/b" })).toThrow(
        "model ai/b: spec.config.bedrock.region is required (or AWS_REGION in the environment)",
      );
    } finally {
      if (saved.region !== undefined) process.env["AWS_REGION"] = saved.region;
      if (saved.fallback !== undefined) process.env["AWS_DEFAULT_REGION"] = saved.fallback;
    }
    expect(() => createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", bedrock: { region: "us-east-1", accessKeyId: "A" } })).toThrow(
      /needs both accessKeyId and secretAccessKey/,
    );
  });
});
