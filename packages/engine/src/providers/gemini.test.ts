import { describe, expect, it } from "vitest";
import { wireConformance } from "./conformance.js";
import { geminiFixtures } from "./conformance/gemini.js";
import { createGeminiProvider } from "./gemini.js";

wireConformance({
  name: "gemini",
  fixtures: geminiFixtures,
  create: (baseUrl, { properties, ...options }) => createGeminiProvider({ type: "gemini", model: "gemini-test", baseUrl, apiKey: "gm-test", properties }, options),
});

describe("gemini provider", () => {
  it("defaults to the Gemini API endpoint", () => {
    expect(createGeminiProvider({ type: "gemini", model: "g", baseUrl: "", apiKey: "k" }).description).toBe(
      'model "g" at https://generativelanguage.googleapis.com',
    );
  });
});
