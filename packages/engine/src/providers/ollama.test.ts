import { type AddressInfo, createServer } from "node:net";
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

describe("ollama connection failures", () => {
  it("retries a refused connection and then names the endpoint and the socket error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const provider = createOllamaProvider({ type: "ollama", model: "m", baseUrl: `http://127.0.0.1:${port}`, apiKey: "" }, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const error = await provider.chat({ messages: [{ role: "user", content: "hi" }] }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/: connection failed: fetch failed: .*ECONNREFUSED.*\(gave up after 2 attempts\)$/);
    expect((error as Error).message).toContain(`model "m" at http://127.0.0.1:${port}`);
  });
});
