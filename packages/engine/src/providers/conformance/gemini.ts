// Gemini API wire traffic, from https://ai.google.dev/api/generate-content and https://ai.google.dev/gemini-api/docs/function-calling.
import { expect } from "vitest";
import type { WireFixtures } from "../conformance.js";

const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const tools = [
  {
    functionDeclarations: [{ name: "weather", description: "Weather in a city", parametersJsonSchema: { type: "object", properties: { city: { type: "string" } } } }],
  },
];
const answer = (parts: unknown[], usage: { promptTokenCount: number; candidatesTokenCount: number; totalTokenCount: number }, finishReason = "STOP"): unknown => ({
  candidates: [{ content: { parts, role: "model" }, finishReason, index: 0 }],
  usageMetadata: usage,
  modelVersion: "gemini-2.5-flash",
  responseId: "mAitaLmkHPPlz7IPvtfUqQ4",
});
const functionCalls = [{ functionCall: { name: "weather", args: { city: "Oslo" } } }, { functionCall: { name: "weather", args: { city: "Rome" } } }];
const question = { role: "user", parts: [{ text: "What is the weather in Oslo and in Rome?" }] };
// @google/genai always sends a generationConfig, empty when no parameter is set.
const error = (code: number, status: string, message: string): unknown => ({ error: { code, message, status } });

export const geminiFixtures: WireFixtures = {
  path: (stream) => `/v1beta/models/gemini-test:${stream ? "streamGenerateContent" : "generateContent"}`,
  checkRequest(request) {
    expect(request.headers["x-goog-api-key"]).toBe("gm-test");
    expect(request.headers["content-type"]).toBe("application/json");
    if (request.path.endsWith(":streamGenerateContent")) expect(request.query).toEqual({ alt: "sse" });
  },
  text: {
    request: {
      contents: [{ role: "user", parts: [{ text: "What is the capital of France?" }] }],
      systemInstruction: { parts: [{ text: "You are a concise geography assistant." }] },
      generationConfig: { temperature: 0.2, maxOutputTokens: 256, topP: 0.9, stopSequences: ["END"] },
    },
    response: { json: answer([{ text: "The capital of France is Paris." }], { promptTokenCount: 21, candidatesTokenCount: 8, totalTokenCount: 29 }) },
  },
  toolCall: {
    request: { contents: [question], tools, generationConfig: {} },
    response: { json: answer(functionCalls, { promptTokenCount: 70, candidatesTokenCount: 20, totalTokenCount: 90 }) },
  },
  toolResult: {
    request: {
      contents: [
        question,
        { role: "model", parts: functionCalls },
        {
          role: "user",
          parts: [{ functionResponse: { name: "weather", response: { result: "Oslo: sunny, 21°C" } } }, { functionResponse: { name: "weather", response: { result: "Rome: rain, 14°C" } } }],
        },
      ],
      tools,
      generationConfig: {},
    },
    response: { json: answer([{ text: "Oslo is sunny and Rome is rainy." }], { promptTokenCount: 120, candidatesTokenCount: 10, totalTokenCount: 130 }) },
  },
  structured: {
    request: {
      contents: [{ role: "user", parts: [{ text: "Which city is the capital of France?" }] }],
      generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema },
    },
    response: { json: answer([{ text: '{"city":"Paris"}' }], { promptTokenCount: 12, candidatesTokenCount: 6, totalTokenCount: 18 }) },
  },
  stream: {
    request: { contents: [{ role: "user", parts: [{ text: "Count to three." }] }], generationConfig: {} },
    response: {
      sse: [
        { data: { candidates: [{ content: { parts: [{ text: "One, " }], role: "model" }, index: 0 }], usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 }, modelVersion: "gemini-2.5-flash" } },
        { data: { candidates: [{ content: { parts: [{ text: "two, " }], role: "model" }, index: 0 }], usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 }, modelVersion: "gemini-2.5-flash" } },
        {
          data: {
            candidates: [{ content: { parts: [{ text: "three." }], role: "model" }, finishReason: "STOP", index: 0 }],
            usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 6, totalTokenCount: 16 },
            modelVersion: "gemini-2.5-flash",
          },
        },
      ],
    },
  },
  streamToolCall: {
    request: { contents: [question], tools, generationConfig: {} },
    response: { sse: [{ data: answer(functionCalls, { promptTokenCount: 70, candidatesTokenCount: 20, totalTokenCount: 90 }) }] },
  },
  badRequest: {
    response: { status: 400, json: error(400, "INVALID_ARGUMENT", "Invalid value at 'generation_config.temperature' (TYPE_FLOAT)") },
    message: "HTTP 400: Invalid value at 'generation_config.temperature' (TYPE_FLOAT)",
  },
  rateLimited: { status: 429, headers: { "retry-after": "1" }, json: error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).") },
};
