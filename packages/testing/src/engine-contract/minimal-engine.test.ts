import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ExecutionEngineRequest } from "@ark/types";
import { engineContractSuite } from "../vitest/index.js";

/**
 * The smallest engine that keeps the contract, written the way a user would in any language: plain HTTP, a bearer
 * token, chat completions in a loop, tools through the callback, JSON answers only (no streaming).
 */
async function startMinimalEngine() {
  const token = "minimal-engine-token";
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET" && req.url === "/health") return send(res, 200, { status: "ok" });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { error: "unauthorized" });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === "/cancel") return send(res, 200, { canceled: false });
    const parsed = ExecutionEngineRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString() || "{}"));
    if (!parsed.success) return send(res, 400, { error: parsed.error.message });
    const { agent, history, userInput, tools, toolCallback } = parsed.data;
    const openai = agent.model.config["openai"] as { baseUrl: string; apiKey?: string; properties?: Record<string, string>; headers?: Record<string, string> };
    const messages: Record<string, unknown>[] = [{ role: "system", content: agent.prompt }, ...history, userInput];
    const temperature = openai.properties?.["temperature"];
    for (let turn = 0; turn < 5; turn++) {
      const response = await fetch(`${openai.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${openai.apiKey ?? ""}`, ...openai.headers },
        body: JSON.stringify({
          model: agent.model.name,
          messages,
          ...(temperature ? { temperature: Number(temperature) } : {}),
          ...(tools?.length ? { tools: tools.map((t) => ({ type: "function", function: t })) } : {}),
        }),
      });
      const body = (await response.json()) as { choices?: { message: { content: string | null; tool_calls?: { id: string; function: { name: string; arguments: string } }[] } }[]; error?: { message: string } };
      if (!response.ok) return send(res, 200, { messages: [], error: `model answered ${response.status}: ${body.error?.message ?? ""}` });
      const message = body.choices![0]!.message;
      messages.push(message);
      if (!message.tool_calls?.length) return send(res, 200, { messages: [{ role: "assistant", content: message.content ?? "" }], error: "" });
      for (const call of message.tool_calls) {
        const result = await fetch(toolCallback!.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${toolCallback!.token}` },
          body: JSON.stringify({ name: call.function.name, arguments: call.function.arguments, toolCallId: call.id }),
        });
        const { content } = (await result.json()) as { content: string };
        messages.push({ role: "tool", tool_call_id: call.id, content });
      }
    }
    return send(res, 200, { messages: [], error: "too many turns" });
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

engineContractSuite("a minimal engine written in the test", startMinimalEngine);
