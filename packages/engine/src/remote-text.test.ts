import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpSessionMemory } from "./memory/http-memory.js";
import { createOpenAIProvider } from "./providers/openai.js";
import { sanitizeRemoteText } from "./remote-text.js";
import { listMcpTools } from "./tools/mcp/discovery.js";

const KEY = "sk-live-abcdefghijklmnop1234";
const MCP_TOKEN = "tenant-mcp-token-0987";
// What a hostile or careless service answers: our credentials echoed, terminal escapes, a bidi override, and a lot of it.
const ECHO = `denied. You sent Authorization: Bearer ${KEY} and x-api-key: ${KEY}\u001b[2J\u001b]0;owned\u0007 cookie=session-42 \u202eevil`;

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer((req, res) => {
    if (req.url.startsWith("/model/")) return res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: ECHO } }));
    if (req.url.startsWith("/huge/")) return res.writeHead(502).end(`<html>${"x".repeat(100_000)}</html>`);
    if (req.url.startsWith("/memory/")) return res.writeHead(500).end(ECHO);
    if (req.url.startsWith("/mcp")) return res.writeHead(500).end(`upstream: Authorization: Bearer ${MCP_TOKEN}\u001b[31m ${"y".repeat(5000)}`);
    res.writeHead(404).end();
  });
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error("expected a failure");
  return error;
}

function expectClean(message: string, ...secrets: string[]): void {
  for (const secret of secrets) expect(message).not.toContain(secret);
  // oxlint-disable-next-line no-control-regex -- asserts that no control character is left
  expect(message).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
  expect(message).not.toMatch(/\[2J|\[31m|owned/);
  expect(message.length).toBeLessThan(700);
}

describe("error text from remote services never reaches a status verbatim", () => {
  it("sanitizeRemoteText strips control characters, redacts credentials and the request's secrets, caps the length", () => {
    const text = sanitizeRemoteText(`${ECHO} token=abc123xyz ${"z".repeat(1000)}`, { secrets: [`Bearer ${KEY}`] });
    expectClean(text, KEY, "session-42", "abc123xyz");
    expect(text).toMatch(/^denied\. You sent Authorization: \[redacted\]/);
    expect(sanitizeRemoteText("Bearer tokens expire", { secrets: [`Bearer ${KEY}`] })).toBe("Bearer tokens expire");
    expect(text.length).toBe(300);
    expect(text.endsWith("…")).toBe(true);
  });

  it("a model provider's error body", async () => {
    const model = createOpenAIProvider({ type: "openai", model: "m", baseUrl: `${server.url}/model/v1`, apiKey: KEY, resource: "tenant/gpt" });
    const error = await failure(model.chat({ messages: [{ role: "user", content: "hi" }] }));
    expect(error.message).toMatch(/^model tenant\/gpt \(m\) at .*: HTTP 401: denied\./);
    expectClean(error.message, KEY, "session-42");
    const huge = createOpenAIProvider({ type: "openai", model: "m", baseUrl: `${server.url}/huge/v1`, apiKey: KEY }, { retry: { maxAttempts: 1 } });
    expectClean((await failure(huge.chat({ messages: [{ role: "user", content: "hi" }] }))).message);
  });

  it("a memory service's error body", async () => {
    const memory = httpSessionMemory({ memory: "tenant/mem", address: `${server.url}/memory`, sessionId: "s1" });
    const error = await failure(memory.load(undefined));
    expect(error.message).toMatch(/^memory tenant\/mem: GET .* answered 500 Internal Server Error: denied\./);
    expectClean(error.message, KEY, "session-42");
  });

  it("an MCP server's error body", async () => {
    const listing = await listMcpTools({ url: `${server.url}/mcp`, headers: { Authorization: `Bearer ${MCP_TOKEN}` } }, { timeoutMs: 5000 });
    expect(listing.ok).toBe(false);
    const message = listing.ok ? "" : listing.error.message;
    expect(message).toMatch(/^MCP server .*\/mcp: connect failed/);
    expectClean(message, MCP_TOKEN);
  });
});
