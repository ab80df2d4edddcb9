import { describe, expect, it } from "vitest";
import { wireConformance } from "./conformance.js";
import { ollamaFixtures } from "./conformance/ollama.js";
import { createOllamaProvider } from "./ollama.js";

wireConformance({
  name: "ollama",
  fixtures: ollamaFixtures,
  create: (baseUrl, { properties, ...options }) => createOllamaProvider({ type: "ollama", model: "llama3.2", baseUrl, apiKey: "", properties }, options),
});

describe("ollama provider", () => {
  it("takes the server URL with or without the /v1 of its OpenAI-compatible API", () => {
    const config = { type: "ollama", model: "m", apiKey: "" };
    expect(createOllamaProvider({ ...config, baseUrl: "http://ollama:11434/v1/" }).description).toBe('model "m" at http://ollama:11434');
  });
});
