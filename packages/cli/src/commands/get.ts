import type { Command } from "commander";
import { stringify } from "yaml";
import { createArkApi, type ArkApi } from "../client/api-client.js";
import { collectionPath, itemPath } from "../client/resource-paths.js";
import { CliError, UsageError } from "../errors.js";
import { manifestFromDetail } from "../manifests/from-detail.js";
import { kindByName, type CliKind } from "../manifests/kinds.js";
import type { Manifest } from "../manifests/manifest.js";
import { formatResourceTable, type WideColumn } from "../output/resource-table.js";
import { a2aBaseUrl, agentA2AUrl } from "./a2a.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";

type OutputFormat = "table" | "wide" | "yaml" | "json" | "name";
const DETAIL_CONCURRENCY = 8;

export function registerGet(program: Command): void {
  program
    .command("get")
    .description("list resources of a kind, or show one (agents, models, teams, queries, tools, mcp-servers, memories, secrets, namespaces…)")
    .argument("<kind>", "kind: plural, singular or short name")
    .argument("[name]", "one resource")
    .option("-o, --output <format>", OUTPUT_HELP)
    .action(async (kindWord: string, name: string | undefined, opts: { output?: string }, command: Command) => {
      await showResources(command, kindWord, name, opts.output);
    });
}

export const OUTPUT_HELP = "json, yaml, wide or name (default: a table; wide adds columns, e.g. agents' A2A URLs)";

/** `ark get <kind> [name]` and `ark <kind> list|get`: one resource or all of the namespace, in the chosen format. */
export async function showResources(command: Command, kindWord: string, name: string | undefined, output: string | undefined): Promise<void> {
  const format = outputFormat(output);
  const kind = kindByName(kindWord);
  const api = createArkApi(settingsOf(command));
  const manifests = name ? [await getOne(api, kind, name)] : await listAll(api, kind);
  const wide = format === "wide" ? wideColumns(kind, api.settings.namespace) : undefined;
  process.stdout.write(`${render(kind, manifests, format, name !== undefined, wide)}\n`);
}

function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === "table") return "table";
  if (value === "wide" || value === "yaml" || value === "json" || value === "name") return value;
  throw new UsageError(`--output must be json, yaml, wide or name, got "${value}"`);
}

async function getOne(api: ArkApi, kind: CliKind, name: string): Promise<Manifest> {
  if (kind.shape === "namespace") {
    const found = (await listAll(api, kind)).find((m) => m.metadata?.name === name);
    if (!found) throw new CliError(`namespace "${name}" not found`);
    return found;
  }
  const detail = await api.request<Record<string, unknown>>("GET", itemPath(kind, api.settings.namespace, name));
  return manifestFromDetail(kind, detail ?? {});
}

/** The list answers summaries; each item's detail is fetched for the columns (a handful locally). */
export async function listAll(api: ArkApi, kind: CliKind): Promise<Manifest[]> {
  const list = await api.request<{ items: Record<string, unknown>[] }>("GET", collectionPath(kind, api.settings.namespace));
  const items = list?.items ?? [];
  if (!kind.definition) return items.map((item) => manifestFromDetail(kind, item));
  const manifests: Manifest[] = [];
  for (let i = 0; i < items.length; i += DETAIL_CONCURRENCY) {
    const batch = items.slice(i, i + DETAIL_CONCURRENCY);
    manifests.push(...(await Promise.all(batch.map((item) => getOne(api, kind, String(item.name))))));
  }
  return manifests;
}

function render(kind: CliKind, manifests: readonly Manifest[], format: OutputFormat, single: boolean, wide?: WideColumn[]): string {
  if (format === "name") return manifests.map((m) => `${kind.kind.toLowerCase()}/${String(m.metadata?.name ?? "")}`).join("\n");
  if (format === "json" || format === "yaml") {
    const value = single ? manifests[0] : { apiVersion: "v1", kind: "List", items: manifests };
    return format === "json" ? JSON.stringify(value, null, 2) : stringify(value).trimEnd();
  }
  if (manifests.length === 0) return `No ${kind.names[0]} found in namespace.`;
  if (kind.shape === "namespace")
    return formatTable(
      ["name"],
      manifests.map((m) => [String(m.metadata?.name ?? "")]),
    );
  if (kind.shape === "secret") {
    return formatTable(
      ["name", "type", "keys"],
      manifests.map((m) => [String(m.metadata?.name ?? ""), String(m.type ?? ""), keysOf(m.keys)]),
    );
  }
  return formatResourceTable(kind, manifests, new Date(), wide);
}

/** What `-o wide` adds per kind: an Agent's A2A URL (ark-api-a2a's, or its remote's for an A2AServer's Agent). */
function wideColumns(kind: CliKind, namespace: string): WideColumn[] {
  if (kind.kind !== "Agent") return [];
  const base = a2aBaseUrl();
  return [{ name: "a2a url", value: (manifest) => agentA2AUrl(manifest, namespace, base) }];
}

function keysOf(keys: unknown): string {
  return Array.isArray(keys) ? keys.map((k) => String((k as { key?: unknown }).key ?? k)).join(",") : "";
}
