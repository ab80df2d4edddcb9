import { request as httpRequest } from "node:http";
import OpenAI, { APIConnectionError, APIError, AzureOpenAI } from "openai";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockModel } from "./server.js";
import type { MockModel } from "./types.js";

let mock: MockModel;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockModel();
  client = new OpenAI({ baseURL: mock.url, apiKey: "sk-test", maxRetries: 0 });
});
afterEach(() => mock.reset());
afterAll(() => mock.close());

const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather for a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe("mock model: completions", () => {
  it("listens on an ephemeral loopback port and exposes /v1", () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(mock.baseUrl).toBe(mock.url.replace(/\/v1$/, ""));
  });

  it("echoes the last user message when nothing is scripted", async () => {
    const completion = await client.chat.completions.create({
      model: "gpt-test",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello there" },
      ],
    });
    expect(completion.object).toBe("chat.completion");
    expect(completion.model).toBe("gpt-test");
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: "mock: hello there" });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    const usage = completion.usage!;
    expect(usage.prompt_tokens).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
  });

  it("gives every completion a unique id", async () => {
    const messages = [{ role: "user" as const, content: "x" }];
    const a = await client.chat.completions.create({ model: "m", messages });
    const b = await client.chat.completions.create({ model: "m", messages });
    expect(a.id).not.toBe(b.id);
  });

  it("serves scripted replies in order, then falls back to the default", async () => {
    mock.script("first", { text: "second", usage: { prompt_tokens: 7, completion_tokens: 3 } });
    mock.setDefault({ text: "fallback" });
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    const first = await ask();
    const second = await ask();
    const third = await ask();
    expect(first.choices[0]?.message.content).toBe("first");
    expect(second.choices[0]?.message.content).toBe("second");
    expect(second.usage).toEqual({ prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
    expect(third.choices[0]?.message.content).toBe("fallback");
    expect(mock.pending()).toBe(0);
  });

  it("counts tokens deterministically", async () => {
    const ask = () => client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "a fairly long question" }] });
    const a = await ask();
    const b = await ask();
    expect(a.usage).toEqual(b.usage);
  });

  it("reports finish_reason length when scripted", async () => {
    mock.script({ text: "cut sho", finishReason: "length" });
    const completion = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    expect(completion.choices[0]?.finish_reason).toBe("length");
  });

  it("answers with dynamic replies from a function", async () => {
    mock.script((request) => ({ text: `you sent ${request.messages.length} messages to ${request.model}` }));
    const completion = await client.chat.completions.create({
      model: "dyn",
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "u" },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe("you sent 2 messages to dyn");
  });

  it("keys scripts by model, falling back to the any-model queue", async () => {
    mock.script({ model: "selector" }, "researcher", "writer");
    mock.script("generic");
    const ask = (model: string) => client.chat.completions.create({ model, messages: [{ role: "user", content: "q" }] }).then((c) => c.choices[0]?.message.content);
    expect(await ask("worker")).toBe("generic");
    expect(await ask("selector")).toBe("researcher");
    expect(await ask("selector")).toBe("writer");
    expect(await ask("selector")).toBe("mock: q");
  });

  it("lists known models", async () => {
    mock.script({ model: "selector" }, "x");
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(["mock-model", "selector"]));
  });

  it("records every request with its parsed body", async () => {
    await client.chat.completions.create({ model: "rec", messages: [{ role: "user", content: "remember me" }] });
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/chat/completions", model: "rec" });
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(request?.body).toMatchObject({ model: "rec", messages: [{ role: "user", content: "remember me" }] });
    expect(request?.time).toBeInstanceOf(Date);
  });
});

describe("mock model: streaming", () => {
  it("streams content in several chunks with a role delta first and a usage chunk last", async () => {
    mock.script("The quick brown fox jumps over the lazy dog");
    const chunks = await collect(
      await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "q" }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const contentChunks = chunks.filter((c) => c.choices[0]?.delta.content);
    expect(contentChunks.length).toBeGreaterThan(2);
    expect(contentChunks.map((c) => c.choices[0]?.delta.content).join("")).toBe("The quick brown fox jumps over the lazy dog");
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "stop")).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.total_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it("sends no usage chunk unless asked", async () => {
    const chunks = await collect(await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }], stream: true }));
    expect(chunks.every((c) => !c.usage)).toBe(true);
  });

  it("waits between chunks when a chunk delay is set", async () => {
    mock.script({ text: "abcdefghijkl", chunkDelayMs: 30 });
    const arrivals: number[] = [];
    const started = Date.now();
    for await (const chunk of await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "q" }],
      stream: true,
    })) {
      if (chunk.choices[0]?.delta.content) arrivals.push(Date.now());
    }
    expect(arrivals).toHaveLength(3);
    expect(arrivals.at(-1)! - started).toBeGreaterThanOrEqual(60);
  });
});

describe("mock model: tool calls", () => {
  it("returns several tool calls with JSON arguments", async () => {
    mock.script({
      toolCalls: [
        { name: "get_weather", arguments: { city: "Paris" } },
        { name: "get_weather", arguments: { city: "Oslo" }, id: "call_fixed" },
      ],
    });
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "weather?" }],
      tools: [weatherTool],
    });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toBeNull();
    const calls = choice.message.tool_calls!;
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect(calls[0]?.id).toMatch(/^call_/);
    expect(calls[1]?.id).toBe("call_fixed");
    const args = calls.map((c) => (c.type === "function" ? JSON.parse(c.function.arguments) : null));
    expect(args).toEqual([{ city: "Paris" }, { city: "Oslo" }]);
  });

  it("streams tool-call deltas that reassemble into the same calls", async () => {
    const toolCalls = [
      { name: "get_weather", arguments: { city: "San Francisco, California" }, id: "call_a" },
      { name: "lookup", arguments: { query: "population of the moon", limit: 3 }, id: "call_b" },
    ];
    mock.script({ toolCalls }, { toolCalls });
    const plain = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "q" }],
      tools: [weatherTool],
    });
    const chunks = await collect(
      await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "q" }],
        tools: [weatherTool],
        stream: true,
      }),
    );
    const assembled: Array<{ id: string; name: string; arguments: string }> = [];
    let argumentPieces = 0;
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (assembled[delta.index] ??= { id: "", name: "", arguments: "" });
        if (delta.id) call.id = delta.id;
        if (delta.function?.name) call.name += delta.function.name;
        if (delta.function?.arguments) {
          call.arguments += delta.function.arguments;
          argumentPieces++;
        }
      }
    }
    expect(argumentPieces).toBeGreaterThan(2);
    expect(chunks.some((c) => c.choices[0]?.finish_reason === "tool_calls")).toBe(true);
    const nonStreamed = plain.choices[0]!.message.tool_calls!.map((c) => (c.type === "function" ? { id: c.id, name: c.function.name, arguments: c.function.arguments } : null));
    expect(assembled).toEqual(nonStreamed);
  });

  it("the SDK's stream helper reassembles streamed tool calls", async () => {
    mock.script({ toolCalls: [{ name: "get_weather", arguments: { city: "Rome" } }] });
    const stream = client.chat.completions.stream({
      model: "m",
      messages: [{ role: "user", content: "q" }],
      tools: [weatherTool],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === "function" && JSON.parse(call.function.arguments)).toEqual({ city: "Rome" });
  });
});

describe("mock model: JSON responses", () => {
  it("returns scripted JSON for response_format json_schema", async () => {
    mock.script({ json: { score: "0.8", passed: true } });
    const completion = await client.chat.completions.create({
      model: "judge",
      messages: [{ role: "user", content: "grade this" }],
      response_format: {
        type: "json_schema",
        json_schema: { name: "grade", schema: { type: "object", properties: { score: { type: "string" } } } },
      },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ score: "0.8", passed: true });
  });

  it("answers unscripted json_schema requests with a value of the schema's shape", async () => {
    const completion = await client.chat.completions.create({
      model: "judge",
      messages: [{ role: "user", content: "grade" }],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "grade",
          schema: {
            type: "object",
            properties: {
              score: { type: "number" },
              verdict: { enum: ["pass", "fail"] },
              notes: { type: "array", items: { type: "string" } },
            },
          },
        },
      },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ score: 0, verdict: "pass", notes: [] });
  });

  it("answers unscripted json_object requests with a JSON object", async () => {
    const completion = await client.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "json please" }],
      response_format: { type: "json_object" },
    });
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ reply: "mock: json please" });
  });
});

describe("mock model: failures and latency", () => {
  const ask = (c: OpenAI = client) => c.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });

  it("surfaces a scripted 429 as an APIError with retry-after", async () => {
    mock.script({ error: { status: 429, retryAfter: 7 } });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(429);
    expect(apiError.code).toBe("rate_limit_exceeded");
    expect(apiError.headers?.get("retry-after")).toBe("7");
  });

  it("surfaces 500 and 401 with OpenAI-style bodies", async () => {
    mock.script({ error: { status: 500 } }, { error: { status: 401, message: "bad key" } });
    const serverError = (await ask().catch((e: unknown) => e)) as APIError;
    expect(serverError).toBeInstanceOf(APIError);
    expect(serverError.status).toBe(500);
    expect(serverError.type).toBe("server_error");
    const authError = (await ask().catch((e: unknown) => e)) as APIError;
    expect(authError.status).toBe(401);
    expect(authError.message).toContain("bad key");
    expect(authError.code).toBe("invalid_api_key");
  });

  it("lets the client retry after a 429", async () => {
    mock.script({ error: { status: 429, retryAfter: 0 } }, "after retry");
    const retrying = new OpenAI({ baseURL: mock.url, apiKey: "sk-test", maxRetries: 1 });
    const completion = await ask(retrying);
    expect(completion.choices[0]?.message.content).toBe("after retry");
    expect(mock.requests).toHaveLength(2);
  });

  it("honours per-reply latency", async () => {
    mock.script({ text: "slow", delayMs: 80 });
    const started = Date.now();
    await ask();
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("honours global latency, and a faster reply scripted later can finish first", async () => {
    mock.setLatency({ delayMs: 120 });
    mock.script({ model: "slow" }, "slow answer").script({ model: "fast" }, { text: "fast answer", delayMs: 0 });
    const order: string[] = [];
    const call = (model: string) => client.chat.completions.create({ model, messages: [{ role: "user", content: "q" }] }).then((c) => order.push(c.choices[0]!.message.content!));
    await Promise.all([call("slow"), call("fast")]);
    expect(order).toEqual(["fast answer", "slow answer"]);
  });

  it("hangs until the client times out", async () => {
    mock.script({ hang: true });
    const error = await client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] }, { timeout: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).constructor.name).toBe("APIConnectionTimeoutError");
  });

  it("resets the connection mid-stream", async () => {
    mock.script({ resetConnection: true, afterChunks: 2, text: "this will never finish" });
    const received: string[] = [];
    const error = await (async () => {
      const stream = await client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "q" }],
        stream: true,
      });
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(received.join("")).toBe("this");
  });

  it("resets the connection of a non-streamed request", async () => {
    mock.script({ resetConnection: true });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
  });

  it("requires the API key when configured", async () => {
    const guarded = await startMockModel({ apiKey: "sk-right" });
    try {
      const wrong = new OpenAI({ baseURL: guarded.url, apiKey: "sk-wrong", maxRetries: 0 });
      const error = (await ask(wrong).catch((e: unknown) => e)) as APIError;
      expect(error.status).toBe(401);
      const right = new OpenAI({ baseURL: guarded.url, apiKey: "sk-right", maxRetries: 0 });
      expect((await ask(right)).choices[0]?.message.content).toBe("mock: q");
    } finally {
      await guarded.close();
    }
  });
});

describe("mock model: DNS rebinding", () => {
  it("refuses Host: attacker.example and Origin: http://attacker.example; ALLOWED_HOSTS-style names pass", async () => {
    const own = await startMockModel({ allowedHosts: ["localhost", "*.localhost", "mock-model"] });
    const send = (headers: Record<string, string>) => rawGet(own.port, "/v1/models", headers);
    try {
      const byHost = await send({ host: "attacker.example" });
      expect(byHost.status).toBe(403);
      expect(byHost.body).toContain("Host not allowed: attacker.example");
      expect((await send({ host: "localhost", origin: "http://attacker.example" })).status).toBe(403);
      for (const host of ["localhost", "127.0.0.1", "mock-model:8099"]) expect((await send({ host })).status, host).toBe(200);
      expect(own.requests).toHaveLength(3);
    } finally {
      await own.close();
    }
  });
});

function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("mock model: lifecycle", () => {
  it("close() releases a hung request", async () => {
    const own = await startMockModel();
    own.script({ hang: true });
    const own_client = new OpenAI({ baseURL: own.url, apiKey: "k", maxRetries: 0 });
    const pending = own_client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] }).catch((e: unknown) => e);
    await own.waitForRequests(1);
    await own.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });

  it("close() releases a stream stalled after some chunks, and delays in progress", async () => {
    const own = await startMockModel({ delayMs: 60_000 });
    own.script({ hang: true, afterChunks: 2 }).setDefault({ text: "never", delayMs: 60_000 });
    const own_client = new OpenAI({ baseURL: own.url, apiKey: "k", maxRetries: 0 });
    const stalled = (async () => {
      const stream = await own_client.chat.completions.create({
        model: "m",
        messages: [{ role: "user", content: "q" }],
        stream: true,
      });
      for await (const _chunk of stream) {
        // drain until the server goes away
      }
    })().catch((e: unknown) => e);
    const delayed = own_client.chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] }).catch((e: unknown) => e);
    await own.waitForRequests(2);
    await own.close();
    expect(await stalled).toBeInstanceOf(Error);
    expect(await delayed).toBeInstanceOf(APIConnectionError);
  });
});

describe("mock model: Azure wire format", () => {
  it("serves /openai/deployments/{deployment}/chat/completions with api-key auth", async () => {
    mock.script({ model: "gpt-4o-deploy" }, "azure says hi");
    const azure = new AzureOpenAI({
      endpoint: mock.baseUrl,
      apiKey: "azure-key",
      apiVersion: "2024-10-21",
      deployment: "gpt-4o-deploy",
      maxRetries: 0,
    });
    const completion = await azure.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.choices[0]?.message.content).toBe("azure says hi");
    const [request] = mock.requests;
    expect(request).toMatchObject({
      path: "/openai/deployments/gpt-4o-deploy/chat/completions",
      deployment: "gpt-4o-deploy",
      apiVersion: "2024-10-21",
      model: "gpt-4o-deploy",
    });
    expect(request?.headers["api-key"]).toBe("azure-key");
  });

  it("streams over the Azure path too", async () => {
    const azure = new AzureOpenAI({ endpoint: mock.baseUrl, apiKey: "k", apiVersion: "2024-10-21", maxRetries: 0 });
    let text = "";
    for await (const chunk of await azure.chat.completions.create({
      model: "my-deployment",
      messages: [{ role: "user", content: "stream me" }],
      stream: true,
    })) {
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("mock: stream me");
    expect(mock.requests[0]?.deployment).toBe("my-deployment");
  });
});
