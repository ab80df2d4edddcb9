import { expect } from "vitest";
import { providerConformance, wireConformance } from "./conformance.js";
import { openaiFixtures } from "./conformance/openai.js";
import { createOpenAIProvider } from "./openai.js";

providerConformance({
  name: "openai",
  expectedPath: "/v1/chat/completions",
  checkRequest: (request) => expect(request.headers.authorization).toBe("Bearer sk-test"),
  create: (mock, { properties, apiKey, ...options }) => createOpenAIProvider({ type: "openai", model: "gpt-test", baseUrl: `${mock.url}/`, apiKey: apiKey ?? "sk-test", properties }, options),
});

wireConformance({
  name: "openai",
  fixtures: openaiFixtures("gpt-test", "/v1/chat/completions", (request) => expect(request.headers.authorization).toBe("Bearer sk-test")),
  create: (baseUrl, { properties, ...options }) => createOpenAIProvider({ type: "openai", model: "gpt-test", baseUrl: `${baseUrl}/v1`, apiKey: "sk-test", properties }, options),
});
