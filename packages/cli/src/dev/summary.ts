import { formatTable } from "../output/table.js";
import type { ServiceState } from "./stack.js";

export interface StackSummary {
  services: readonly ServiceState[];
  readiness: ReadonlyMap<string, boolean>;
  kubeconfigPath: string | undefined;
  database: string;
  bus: string;
  defaultModel: string;
  mockModel: boolean;
  logFile: string;
  /** Where ark-api's admin key is (auth on); undefined when ark-api runs with ARK_API_AUTH=none. */
  apiKeyFile: string | undefined;
}

/** What `ark dev` prints once started: where each service is, and what it runs on. */
export function formatStackSummary(summary: StackSummary): string {
  const rows = summary.services.map((service) => {
    if (service.state === "skipped") return [service.name, "-", `skipped: ${service.reason}`];
    if (service.state === "failed") return [service.name, "-", `FAILED: ${service.error.message.split("\n")[0]}`];
    const ready = summary.readiness.get(service.name);
    const status = ready === undefined ? "running" : ready ? "ready" : "not ready";
    return [service.name, service.running.url, service.running.note ? `${status} (${service.running.note})` : status];
  });
  const lines = [
    formatTable(["service", "url", "status"], rows),
    "",
    `kubeconfig: ${summary.kubeconfigPath ?? "(none)"}${summary.kubeconfigPath ? `   kubectl --kubeconfig ${summary.kubeconfigPath} get agents` : ""}`,
    `database:   ${summary.database}`,
    `bus:        ${summary.bus}`,
    `logs:       ${summary.logFile}`,
    `api key:    ${summary.apiKeyFile ? `${summary.apiKeyFile} (ark-api wants it; \`pnpm ark\` sends it by itself)` : "none: ark-api auth is off (ARK_API_AUTH=none)"}`,
    `model:      ${summary.defaultModel}`,
  ];
  if (summary.mockModel) {
    lines.push(
      "",
      "!!! No model provider is configured (OPENAI_API_KEY, AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT, ANTHROPIC_API_KEY, GEMINI_API_KEY, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or OLLAMA_BASE_URL).",
      "!!! The default Model points at the bundled MOCK model, which echoes your input. Set one and restart to use a real model.",
    );
  }
  return lines.join("\n");
}
