import { describe, expect, it } from "vitest";
import { createBedrockProvider } from "./bedrock.js";
import { wireConformance } from "./conformance.js";
import { bedrockFixtures } from "./conformance/bedrock.js";
import { startWireServer } from "./conformance/server.js";

const bedrock = { region: "eu-west-1", accessKeyId: "AKIDTEST", secretAccessKey: "secret-test" };

wireConformance({
  name: "bedrock",
  fixtures: bedrockFixtures,
  create: (baseUrl, { properties, ...options }) => createBedrockProvider({ type: "bedrock", model: "bedrock-test", baseUrl, apiKey: "", properties, bedrock }, options),
});

describe("bedrock provider", () => {
  it("uses the regional endpoint unless baseUrl overrides it, and names missing settings", () => {
    expect(createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", bedrock }).description).toBe('model "m" at https://bedrock-runtime.eu-west-1.amazonaws.com');
    const saved = { region: process.env["AWS_REGION"], fallback: process.env["AWS_DEFAULT_REGION"] };
    delete process.env["AWS_REGION"];
    delete process.env["AWS_DEFAULT_REGION"];
    try {
      expect(() => createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", resource: "ai/b" })).toThrow("model ai/b: spec.config.bedrock.region is required (or AWS_REGION in the environment)");
    } finally {
      if (saved.region !== undefined) process.env["AWS_REGION"] = saved.region;
      if (saved.fallback !== undefined) process.env["AWS_DEFAULT_REGION"] = saved.fallback;
    }
    expect(() => createBedrockProvider({ type: "bedrock", model: "m", baseUrl: "", apiKey: "", bedrock: { region: "us-east-1", accessKeyId: "A" } })).toThrow(/needs both accessKeyId and secretAccessKey/);
  });
});

describe("bedrock inference profiles", () => {
  it("sends a model ARN (spec.config.bedrock.modelArn) as the path's model id, encoded", async () => {
    const server = await startWireServer();
    try {
      server.script({ json: { output: { message: { role: "assistant", content: [{ text: "hi" }] } }, stopReason: "end_turn", usage: {} } });
      const arn = "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
      const provider = createBedrockProvider({ type: "bedrock", model: arn, baseUrl: server.url, apiKey: "", bedrock });
      expect((await provider.chat({ messages: [{ role: "user", content: "hi" }] })).message.content).toBe("hi");
      expect(server.requests[0]!.path).toBe(`/model/${encodeURIComponent(arn)}/converse`);
    } finally {
      await server.close();
    }
  });
});
