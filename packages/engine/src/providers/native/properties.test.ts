import { describe, expect, it } from "vitest";
import { anthropicBody } from "../anthropic.js";
import { converseInput } from "../bedrock.js";
import { geminiRequest } from "../gemini.js";
import { ollamaBody } from "../ollama.js";
import { toolInput, vendorProperties } from "./properties.js";

const properties = { temperature: "0.3", max_tokens: "100", seed: "7", n: "2", user: "u-1", logprobs: "true", top_k: "40", stop: '["A","B"]' };
const request = { messages: [{ role: "user" as const, content: "hi" }] };

describe("vendor properties", () => {
  it("renames OpenAI keys, drops OpenAI-only ones and passes vendor extensions through", () => {
    expect(vendorProperties(properties, { max_tokens: "num_predict" }, "m")).toEqual({ temperature: 0.3, num_predict: 100, seed: 7, top_k: 40, stop: ["A", "B"] });
  });

  it("names the property and the model when a value does not parse", () => {
    expect(() => vendorProperties({ max_tokens: "lots" }, {}, "model ai/c")).toThrow('model ai/c: property max_tokens must be an integer, got "lots"');
  });

  it("maps each vendor's parameters under its own names", () => {
    expect(anthropicBody("c", properties, request, "m")).toEqual({
      model: "c",
      max_tokens: 100,
      temperature: 0.3,
      top_k: 40,
      stop_sequences: ["A", "B"],
      metadata: { user_id: "u-1" },
      messages: [{ role: "user", content: "hi" }],
    });
    expect(ollamaBody("l", { ...properties, keep_alive: "5m" }, request, "m")).toMatchObject({
      keep_alive: "5m",
      options: { temperature: 0.3, num_predict: 100, seed: 7, top_k: 40, stop: ["A", "B"] },
    });
    expect(geminiRequest(properties, request, "m").config).toEqual({ temperature: 0.3, maxOutputTokens: 100, seed: 7, topK: 40, stopSequences: ["A", "B"] });
    const bedrock = converseInput({ type: "bedrock", model: "b", baseUrl: "", apiKey: "", bedrock: { maxTokens: 50, temperature: 0.9 } }, properties, request, "m");
    expect(bedrock.inferenceConfig).toEqual({ maxTokens: 100, temperature: 0.3, stopSequences: ["A", "B"] });
    expect(bedrock.additionalModelRequestFields).toEqual({ top_k: 40 });
  });

  it("takes the Bedrock Model's own maxTokens and temperature when no property overrides them", () => {
    const input = converseInput({ type: "bedrock", model: "b", baseUrl: "", apiKey: "", bedrock: { maxTokens: 50, temperature: 0.9 } }, {}, request, "m");
    expect(input.inferenceConfig).toEqual({ maxTokens: 50, temperature: 0.9 });
  });

  it("turns tool-call arguments into the object vendors want", () => {
    expect(toolInput('{"city":"Oslo"}')).toEqual({ city: "Oslo" });
    expect(toolInput("")).toEqual({});
  });
});

describe("empty assistant turns", () => {
  it("are left out for vendors that refuse them", () => {
    const messages = [
      { role: "user" as const, content: "a" },
      { role: "assistant" as const, content: "" },
      { role: "user" as const, content: "b" },
    ];
    expect(anthropicBody("c", {}, { messages }, "m")["messages"]).toEqual([
      { role: "user", content: "a" },
      { role: "user", content: "b" },
    ]);
    expect(geminiRequest({}, { messages }, "m").contents.map((c) => c.role)).toEqual(["user", "user"]);
    // Converse wants turns to alternate, so the two user turns become one.
    expect(converseInput({ type: "bedrock", model: "b", baseUrl: "", apiKey: "" }, {}, { messages }, "m").messages).toEqual([{ role: "user", content: [{ text: "a" }, { text: "b" }] }]);
  });
});
