import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { CliError } from "../errors.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";

/** A tool approval request as ark-api lists it (GET /v1/namespaces/{ns}/tool-approvals). */
interface ToolApprovalItem {
  name: string;
  query: string;
  phase: string;
  toolCalls: Array<{ name: string; arguments: string }>;
  decision?: { action: string; decidedBy: string; reason?: string };
}

/** `ark approvals list|approve|reject` over ark-api's tool-approvals routes (docs/architecture.md §3.2). */
export function registerApprovals(program: Command): void {
  const approvals = program.command("approvals").description("tool calls waiting for a person: list them, approve or reject");
  approvals
    .command("list")
    .description("the namespace's tool approval requests (pending ones unless --all)")
    .option("--all", "every request, decided ones too")
    .action(async (opts: { all?: boolean }, command: Command) => {
      const api = createArkApi(settingsOf(command));
      const phase = opts.all ? "" : "?phase=pending";
      const listed = await api.request<{ items: ToolApprovalItem[] }>("GET", api.namespaced(`tool-approvals${phase}`));
      const items = listed?.items ?? [];
      if (items.length === 0) {
        process.stdout.write(`No ${opts.all ? "" : "pending "}tool approvals in namespace ${api.settings.namespace}.\n`);
        return;
      }
      const rows = items.map((item) => [item.name, item.query, item.phase, item.toolCalls.map((c) => `${c.name}(${c.arguments})`).join(", "), decidedBy(item)]);
      process.stdout.write(`${formatTable(["name", "query", "phase", "calls", "decided by"], rows)}\n`);
    });
  approvals
    .command("approve <name>")
    .description("run the calls (with --arguments, the call runs with these instead)")
    .option("--reason <text>", "why")
    .option("--arguments <json>", "a JSON object replacing the call's arguments (a request with one call)")
    .action(async (name: string, opts: { reason?: string; arguments?: string }, command: Command) => {
      const body = { ...(opts.reason ? { reason: opts.reason } : {}), ...(opts.arguments ? { arguments: parseArguments(opts.arguments) } : {}) };
      await decide(command, name, "approve", body);
    });
  approvals
    .command("reject <name>")
    .description("refuse the calls: the model is told so, with the reason, and the agent goes on")
    .option("--reason <text>", "why (required when the tool says reasonRequired)")
    .action(async (name: string, opts: { reason?: string }, command: Command) => {
      await decide(command, name, "reject", opts.reason ? { reason: opts.reason } : {});
    });
}

async function decide(command: Command, name: string, verb: "approve" | "reject", body: Record<string, unknown>): Promise<void> {
  const api = createArkApi(settingsOf(command));
  const decided = await api.request<ToolApprovalItem>("POST", api.namespaced(`tool-approvals/${encodeURIComponent(name)}/${verb}`), { body });
  process.stdout.write(`${name} ${decided?.decision?.action ?? `${verb}d`}; query ${decided?.query ?? ""} resumes\n`);
}

function parseArguments(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`--arguments: not JSON: ${text}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new CliError("--arguments: must be a JSON object");
  return parsed as Record<string, unknown>;
}

function decidedBy(item: ToolApprovalItem): string {
  if (!item.decision) return "-";
  return `${item.decision.decidedBy}${item.decision.reason ? ` (${item.decision.reason})` : ""}`;
}
