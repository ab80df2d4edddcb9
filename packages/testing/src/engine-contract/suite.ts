import { EngineStreamLine, ExecutionEngineResponse, NDJSON_CONTENT_TYPE, ToolCallbackResponse, type ExecutionEngineRequestInput } from "@ark/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRecordingServer, type RecordingServer } from "../http/recording-server.js";
import { startMockModel } from "../mock-model/server.js";
import type { MockModel } from "../mock-model/types.js";

/** An engine the suite runs against: its base URL and the bearer token it expects (none: no auth). */
export interface EngineUnderTest {
  url: string;
  token?: string;
  stop(): Promise<void>;
}

/**
 * The execution-engine contract (docs/architecture.md §8), as behaviour any engine must show: run it from a test
 * file with `engineContractSuite("my-engine", start)`. The suite gives the engine an OpenAI-compatible mock model
 * (`model.type: openai`, `config.openai.baseUrl`) and a recording tool-callback server.
 */
export function engineContractSuite(name: string, startEngine: () => Promise<EngineUnderTest>): void {
  describe(`execution-engine contract: ${name}`, () => {
    let engine: EngineUnderTest;
    let model: MockModel;
    let callback: RecordingServer;

    beforeAll(async () => {
      model = await startMockModel();
      callback = await startRecordingServer();
      engine = await startEngine();
    });
    afterAll(async () => {
      await engine?.stop();
      await callback?.close();
      await model?.close();
    });
    beforeEach(() => {
      model.reset();
      callback.reset();
    });

    const request = (overrides: Partial<ExecutionEngineRequestInput> = {}): ExecutionEngineRequestInput => ({
      contractVersion: "1",
      agent: {
        name: "helper",
        namespace: "contract",
        prompt: "You are the contract agent.",
        description: "",
        model: { name: "contract-model", type: "openai", config: { openai: { baseUrl: model.url, apiKey: "sk-contract", properties: { temperature: "0.2" }, headers: { "X-Tenant": "contract" } } } },
      },
      userInput: { role: "user", content: "What is the answer?" },
      history: [],
      run: { id: `run-${Math.random().toString(36).slice(2)}`, query: { name: "q", namespace: "contract" } },
      ...overrides,
    });
    const execute = (body: unknown, accept = "application/json", token = engine.token): Promise<Response> =>
      fetch(`${engine.url}/execute`, {
        method: "POST",
        headers: { "content-type": "application/json", accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const answerOf = async (response: Response) => {
      expect(response.status).toBe(200);
      const type = response.headers.get("content-type") ?? "";
      if (!type.startsWith(NDJSON_CONTENT_TYPE)) return ExecutionEngineResponse.parse(await response.json());
      const lines = (await response.text())
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => EngineStreamLine.parse(JSON.parse(line)));
      const last = lines.at(-1);
      if (last?.type !== "result") throw new Error(`the stream did not end with a result line: ${JSON.stringify(last)}`);
      return last;
    };
    const finalText = (answer: ExecutionEngineResponse): string => answer.messages.filter((m) => m.role === "assistant").at(-1)?.content ?? "";

    it("answers GET /health with 2xx", async () => {
      const response = await fetch(`${engine.url}/health`);
      expect(response.status).toBeLessThan(300);
    });

    it("refuses /execute without its bearer token (when it has one)", async () => {
      if (!engine.token) return;
      const response = await execute(request(), "application/json", "wrong-token-wrong-token");
      expect(response.status).toBe(401);
      expect(model.requests).toHaveLength(0);
    });

    it("answers with the model's reply, the prompt first and the history before the input", async () => {
      model.script("The answer is 42.");
      const history = [
        { role: "user", content: "Earlier question" },
        { role: "assistant", content: "Earlier answer" },
      ];
      const answer = await answerOf(await execute(request({ history })));
      expect(answer.error ?? "").toBe("");
      expect(finalText(answer)).toBe("The answer is 42.");
      const sent = model.requests.find((r) => r.path.endsWith("/chat/completions"))!.body as { messages: { role: string; content: unknown }[]; temperature?: number };
      expect(sent.messages[0]).toMatchObject({ role: "system", content: "You are the contract agent." });
      expect(sent.messages.map((m) => m.content)).toEqual(["You are the contract agent.", "Earlier question", "Earlier answer", "What is the answer?"]);
      expect(sent.temperature).toBe(0.2);
      // The Model's spec headers, resolved by ARK, go on the engine's model calls.
      expect(model.requests.find((r) => r.path.endsWith("/chat/completions"))!.headers["x-tenant"]).toBe("contract");
    });

    it("runs a tool through the tool callback with the run's token and answers with its result", async () => {
      callback.respond((_req, res) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(ToolCallbackResponse.parse({ content: "sunny, 21 degrees", isError: false })));
      });
      model.script({ toolCalls: [{ name: "weather", arguments: { city: "Oslo" }, id: "call_contract_1" }] }, (req) => {
        const tool = req.messages.find((m) => m.role === "tool");
        return `Weather: ${String(tool?.content)}`;
      });
      const body = request({
        tools: [{ name: "weather", description: "Weather of a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }],
        toolCallback: { url: `${callback.url}/v1/engine-tool-calls`, token: "run-token-123" },
      });
      const answer = await answerOf(await execute(body));
      expect(answer.error ?? "").toBe("");
      expect(finalText(answer)).toBe("Weather: sunny, 21 degrees");
      expect(callback.requests).toHaveLength(1);
      const call = callback.requests[0]!;
      expect(call.headers.authorization).toBe("Bearer run-token-123");
      const sent = JSON.parse(call.body) as { name: string; arguments: unknown };
      expect(sent.name).toBe("weather");
      const args = typeof sent.arguments === "string" ? JSON.parse(sent.arguments) : sent.arguments;
      expect(args).toEqual({ city: "Oslo" });
    });

    it("streams NDJSON lines ending with the result when asked (or answers JSON)", async () => {
      model.script("Streamed answer here.");
      const response = await execute(request(), `${NDJSON_CONTENT_TYPE}, application/json`);
      const type = response.headers.get("content-type") ?? "";
      if (!type.startsWith(NDJSON_CONTENT_TYPE)) {
        expect(finalText(ExecutionEngineResponse.parse(await response.json()))).toBe("Streamed answer here.");
        return;
      }
      const lines = (await response.text())
        .split("\n")
        .filter((line) => line.trim())
        .map((line) => EngineStreamLine.parse(JSON.parse(line)));
      expect(lines.at(-1)?.type).toBe("result");
      expect(lines.filter((line) => line.type === "result")).toHaveLength(1);
      const streamed = lines.flatMap((line) => (line.type === "content" ? [line.content] : [])).join("");
      expect(streamed).toBe("Streamed answer here.");
    });

    it("reports a model failure in `error`", async () => {
      model.script({ error: { status: 400, message: "context too long" } });
      const answer = await answerOf(await execute(request()));
      expect(answer.error ?? "").not.toBe("");
    });

    it("refuses a request that is not the contract's shape with 4xx", async () => {
      const response = await execute({ agent: { name: "x" } });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });

    it("accepts POST /cancel for a run it does not know", async () => {
      const response = await fetch(`${engine.url}/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(engine.token ? { authorization: `Bearer ${engine.token}` } : {}) },
        body: JSON.stringify({ runId: "no-such-run" }),
      });
      expect(response.status).toBeLessThan(300);
    });
  });
}
