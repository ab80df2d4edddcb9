import { startMockModel } from "./server.js";

// Standalone mock model for the dev stack and e2e: PORT (default 0 = ephemeral), HOST (default 127.0.0.1),
// MOCK_MODEL_DELAY_MS / MOCK_MODEL_CHUNK_DELAY_MS (latency), MOCK_MODEL_API_KEY (require this key),
// ALLOWED_HOSTS (comma list of Host names it answers, as the services' own; default localhost).
function numberFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`mock-model: ${name} must be a non-negative integer, got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const model = await startMockModel({
  port: numberFromEnv("PORT") ?? 0,
  host: process.env.HOST || "127.0.0.1",
  delayMs: numberFromEnv("MOCK_MODEL_DELAY_MS"),
  chunkDelayMs: numberFromEnv("MOCK_MODEL_CHUNK_DELAY_MS"),
  apiKey: process.env.MOCK_MODEL_API_KEY || undefined,
  ...(process.env.ALLOWED_HOSTS
    ? {
        allowedHosts: process.env.ALLOWED_HOSTS.split(",")
          .map((h) => h.trim())
          .filter(Boolean),
      }
    : {}),
});
console.log(`mock-model listening on ${model.url} (OpenAI baseURL; Azure endpoint ${model.baseUrl})`);

const shutdown = (): void => {
  model.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
