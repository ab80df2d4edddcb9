import { expect } from "vitest";
import { providerConformance } from "./conformance.js";
import { createOpenAIProvider } from "./openai.js";

providerConformance({
  name: "openai",
  expectedPath: "/v1/chat/completions",
  checkRequest: (request) => expect(request.headers.authorization).toBe("Bearer sk-test"),
  create: (mock, { properties, apiKey, ...options }) =>
    createOpenAIProvider({ type: "openai", model: "gpt-test", baseUrl: `${mock.url}/`, apiKey: apiKey ?? "sk-test", properties }, options),
});
