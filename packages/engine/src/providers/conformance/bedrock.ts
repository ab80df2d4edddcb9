// Amazon Bedrock Converse wire traffic, from https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
// and API_runtime_ConverseStream.html (the stream is application/vnd.amazon.eventstream, encoded below).
import { crc32 } from "node:zlib";
import { expect } from "vitest";
import type { WireFixtures } from "../conformance.js";

const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
const toolConfig = {
  tools: [{ toolSpec: { name: "weather", description: "Weather in a city", inputSchema: { json: { type: "object", properties: { city: { type: "string" } } } } } }],
};
const converse = (content: unknown[], stopReason: string, usage: { inputTokens: number; outputTokens: number; totalTokens: number }): unknown => ({
  output: { message: { role: "assistant", content } },
  stopReason,
  usage,
  metrics: { latencyMs: 412 },
});
const toolUses = [
  { toolUse: { toolUseId: "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", name: "weather", input: { city: "Oslo" } } },
  { toolUse: { toolUseId: "tooluse_9Ux2PcbbQ3GxJSiSfQZkJw", name: "weather", input: { city: "Rome" } } },
];
const question = { role: "user", content: [{ text: "What is the weather in Oslo and in Rome?" }] };

/** One event-stream message: prelude, string headers, JSON payload, CRC32s (the AWS event stream encoding). */
function eventStreamMessage(eventType: string, payload: unknown): Uint8Array {
  const headers = Buffer.concat(
    Object.entries({ ":event-type": eventType, ":content-type": "application/json", ":message-type": "event" }).map(([name, value]) => {
      const nameBytes = Buffer.from(name);
      const valueBytes = Buffer.from(value);
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length);
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const body = Buffer.from(JSON.stringify(payload));
  const total = 12 + headers.length + body.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headers.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude), 0);
  const message = Buffer.concat([prelude, preludeCrc, headers, body]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(message), 0);
  return Buffer.concat([message, messageCrc]);
}

export const bedrockFixtures: WireFixtures = {
  path: (stream) => `/model/bedrock-test/${stream ? "converse-stream" : "converse"}`,
  checkRequest(request) {
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/);
    expect(request.headers["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request.headers["content-type"]).toBe("application/json");
  },
  text: {
    request: {
      messages: [{ role: "user", content: [{ text: "What is the capital of France?" }] }],
      system: [{ text: "You are a concise geography assistant." }],
      inferenceConfig: { temperature: 0.2, maxTokens: 256, topP: 0.9, stopSequences: ["END"] },
    },
    response: { json: converse([{ text: "The capital of France is Paris." }], "end_turn", { inputTokens: 21, outputTokens: 8, totalTokens: 29 }) },
  },
  toolCall: {
    request: { messages: [question], toolConfig },
    response: { json: converse([{ text: "I'll check both cities." }, ...toolUses], "tool_use", { inputTokens: 380, outputTokens: 90, totalTokens: 470 }) },
  },
  toolResult: {
    request: {
      messages: [
        question,
        { role: "assistant", content: [{ text: "I'll check both cities." }, ...toolUses] },
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: toolUses[0]!.toolUse.toolUseId, content: [{ text: "Oslo: sunny, 21°C" }] } },
            { toolResult: { toolUseId: toolUses[1]!.toolUse.toolUseId, content: [{ text: "Rome: rain, 14°C" }] } },
          ],
        },
      ],
      toolConfig,
    },
    response: { json: converse([{ text: "Oslo is sunny and Rome is rainy." }], "end_turn", { inputTokens: 520, outputTokens: 12, totalTokens: 532 }) },
  },
  structured: {
    request: {
      messages: [{ role: "user", content: [{ text: "Which city is the capital of France?" }] }],
      outputConfig: { textFormat: { type: "json_schema", structure: { jsonSchema: { name: "capital", schema: JSON.stringify(schema) } } } },
    },
    response: { json: converse([{ text: '{"city":"Paris"}' }], "end_turn", { inputTokens: 40, outputTokens: 7, totalTokens: 47 }) },
  },
  stream: {
    request: { messages: [{ role: "user", content: [{ text: "Count to three." }] }] },
    response: {
      raw: {
        contentType: "application/vnd.amazon.eventstream",
        chunks: [
          eventStreamMessage("messageStart", { role: "assistant" }),
          ...["One, ", "two, ", "three."].map((text) => eventStreamMessage("contentBlockDelta", { contentBlockIndex: 0, delta: { text } })),
          eventStreamMessage("contentBlockStop", { contentBlockIndex: 0 }),
          eventStreamMessage("messageStop", { stopReason: "end_turn" }),
          eventStreamMessage("metadata", { usage: { inputTokens: 10, outputTokens: 6, totalTokens: 16 }, metrics: { latencyMs: 230 } }),
        ],
      },
    },
  },
  streamToolCall: {
    request: { messages: [question], toolConfig },
    response: {
      raw: {
        contentType: "application/vnd.amazon.eventstream",
        chunks: [
          eventStreamMessage("messageStart", { role: "assistant" }),
          ...toolUses.flatMap(({ toolUse }, index) => [
            eventStreamMessage("contentBlockStart", { contentBlockIndex: index, start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } } }),
            eventStreamMessage("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: '{"city":' } } }),
            eventStreamMessage("contentBlockDelta", { contentBlockIndex: index, delta: { toolUse: { input: `"${toolUse.input.city}"}` } } }),
            eventStreamMessage("contentBlockStop", { contentBlockIndex: index }),
          ]),
          eventStreamMessage("messageStop", { stopReason: "tool_use" }),
          eventStreamMessage("metadata", { usage: { inputTokens: 380, outputTokens: 90, totalTokens: 470 }, metrics: { latencyMs: 900 } }),
        ],
      },
    },
  },
  badRequest: {
    response: {
      status: 400,
      headers: { "x-amzn-errortype": "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/" },
      json: { message: "The provided model identifier is invalid." },
    },
    message: "HTTP 400: The provided model identifier is invalid.",
  },
  rateLimited: {
    status: 429,
    headers: { "retry-after": "1", "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/" },
    json: { message: "Too many requests, please wait before trying again." },
  },
};
