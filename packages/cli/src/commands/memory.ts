import type { SessionView } from "@ark/types";
import type { Command } from "commander";
import { stringify } from "yaml";
import { ApiError, createArkApi, type ArkApi } from "../client/api-client.js";
import { CliError, UsageError } from "../errors.js";
import { formatAge } from "../output/age.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";

interface SessionList {
  items: SessionView[];
  total: number;
  unavailable: Array<{ memoryName: string; message: string }>;
}

const MEMORY_OPTION = ["--memory <name>", "only this Memory of the namespace (default: every Memory)"] as const;

/** `ark memory sessions|show|delete`: the conversation sessions of the namespace's Memories, through ark-api. */
export function registerMemory(program: Command): void {
  const memory = program.command("memory").description("conversation sessions stored by the namespace's Memories");
  memory
    .command("sessions")
    .alias("list")
    .description("list the sessions of the namespace's memories")
    .option(...MEMORY_OPTION)
    .option("-o, --output <format>", "json, yaml or name (default: a table)")
    .action(async (opts: { memory?: string; output?: string }, command: Command) => {
      const api = createArkApi(settingsOf(command));
      const list = (await api.request<SessionList>("GET", sessionsPath(api, undefined, opts.memory)))!;
      for (const { memoryName, message } of list.unavailable) process.stderr.write(`warning: memory ${memoryName} skipped: ${message}\n`);
      const output = opts.output ?? "table";
      if (output === "json") return void process.stdout.write(`${JSON.stringify(list.items, null, 2)}\n`);
      if (output === "yaml") return void process.stdout.write(stringify(list.items));
      if (output === "name") return void process.stdout.write(list.items.map((s) => `${s.sessionId}\n`).join(""));
      if (output !== "table") throw new UsageError(`--output must be json, yaml or name, got "${output}"`);
      if (list.items.length === 0) return void process.stdout.write(`No sessions found in namespace ${api.settings.namespace}.\n`);
      const now = new Date();
      const rows = list.items.map((s) => [s.sessionId, s.memoryName, String(s.messageCount), formatAge(s.updatedAt, now), formatAge(s.createdAt, now)]);
      process.stdout.write(`${formatTable(["session", "memory", "messages", "last message", "age"], rows)}\n`);
    });
  memory
    .command("show")
    .description("show a session's messages")
    .argument("<session>")
    .option(...MEMORY_OPTION)
    .option("-o, --output <format>", "json or yaml (default: one line per message)")
    .action(async (session: string, opts: { memory?: string; output?: string }, command: Command) => {
      const api = createArkApi(settingsOf(command));
      const shown = (await api.request<SessionView & { messages: unknown[] }>("GET", sessionsPath(api, session, opts.memory)))!;
      const output = opts.output ?? "text";
      if (output === "json") return void process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      if (output === "yaml") return void process.stdout.write(stringify(shown));
      if (output !== "text") throw new UsageError(`--output must be json or yaml, got "${output}"`);
      process.stdout.write(`Session: ${shown.sessionId}\nMemory:  ${shown.memoryName}\nMessages: ${shown.messageCount}\n\n`);
      process.stdout.write(shown.messages.map((message) => `${messageLine(message)}\n`).join(""));
    });
  memory
    .command("delete")
    .description("delete sessions and their messages")
    .argument("<sessions...>")
    .option(...MEMORY_OPTION)
    .option("--ignore-not-found", "no error when a session does not exist", false)
    .action(async (sessions: string[], opts: { memory?: string; ignoreNotFound: boolean }, command: Command) => {
      const api = createArkApi(settingsOf(command));
      let missing = 0;
      for (const session of sessions) {
        try {
          const deleted = (await api.request<{ deletedFrom: string[] }>("DELETE", sessionsPath(api, session, opts.memory)))!;
          process.stdout.write(`session/${session} deleted (memory ${deleted.deletedFrom.join(", ")})\n`);
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
          if (opts.ignoreNotFound) continue;
          missing++;
          process.stderr.write(`error: ${error.message}\n`);
        }
      }
      if (missing > 0) throw new CliError(`${missing} not found`);
    });
}

function sessionsPath(api: ArkApi, session: string | undefined, memory: string | undefined): string {
  return api.namespaced(`sessions${session === undefined ? "" : `/${encodeURIComponent(session)}`}${memory ? `?memory=${encodeURIComponent(memory)}` : ""}`);
}

/** `role: text` for chat messages, tool calls by name; anything else as JSON. */
function messageLine(message: unknown): string {
  if (typeof message !== "object" || message === null || !("role" in message)) return JSON.stringify(message);
  const { role, content, tool_calls: toolCalls } = message as { role: unknown; content?: unknown; tool_calls?: Array<{ function?: { name?: string; arguments?: string } }> };
  const text = typeof content === "string" ? content : content === undefined || content === null ? "" : JSON.stringify(content);
  const calls = (toolCalls ?? []).map((call) => `→ ${call.function?.name ?? "?"}(${call.function?.arguments ?? ""})`).join(" ");
  return `${String(role)}: ${[text, calls].filter(Boolean).join(" ")}`;
}
