import { A2A_SERVER_ADDRESS_ANNOTATION, A2A_SERVER_NAME_ANNOTATION, A2AServerConditions } from "@ark/types";
import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { kindByName } from "../manifests/kinds.js";
import { isRecord, type Manifest } from "../manifests/manifest.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";
import { listAll } from "./get.js";

/** ark-api-a2a on the local stack (its port in docs/architecture.md §6). */
const DEFAULT_A2A_URL = "http://127.0.0.1:7184";

/** Where ark-api-a2a serves every Agent: `ARK_A2A_URL`, else the local stack's. */
export function a2aBaseUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.ARK_A2A_URL || DEFAULT_A2A_URL).replace(/\/+$/, "");
}

/** An Agent's A2A URL: its remote's address for an A2AServer's Agent, else ark-api-a2a's `/<namespace>/agent/<name>/`. */
export function agentA2AUrl(agent: Manifest, namespace: string, base: string): string {
  const annotations = isRecord(agent.metadata?.annotations) ? agent.metadata.annotations : {};
  const remote = annotations[A2A_SERVER_ADDRESS_ANNOTATION];
  if (typeof remote === "string" && remote) return remote;
  const ns = typeof agent.metadata?.namespace === "string" && agent.metadata.namespace ? agent.metadata.namespace : namespace;
  return `${base}/${encodeURIComponent(ns)}/agent/${encodeURIComponent(String(agent.metadata?.name ?? ""))}/`;
}

export function registerA2A(program: Command): void {
  const a2a = program.command("a2a").description("A2A: remote A2A servers (A2AServer) and the agents they bring");
  a2a
    .command("list")
    .description("the namespace's A2AServers: whether each is ready (or why not), its address and its agents")
    .action(async (_opts: unknown, command: Command) => {
      const api = createArkApi(settingsOf(command));
      const [servers, agents] = await Promise.all([listAll(api, kindByName("a2aservers")), listAll(api, kindByName("agents"))]);
      if (servers.length === 0) {
        process.stdout.write(`No A2A servers found in namespace ${api.settings.namespace}.\n`);
        return;
      }
      const rows = servers.map((server) => {
        const name = String(server.metadata?.name ?? "");
        const owned = agents.filter((agent) => isRecord(agent.metadata?.annotations) && agent.metadata.annotations[A2A_SERVER_NAME_ANNOTATION] === name);
        return [name, phaseOf(server), addressOf(server), owned.map((agent) => String(agent.metadata?.name ?? "")).join(",") || "-"];
      });
      process.stdout.write(`${formatTable(["name", "phase", "address", "agents"], rows)}\n`);
    });
}

interface ConditionLike {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** ready, discovering, or `not ready (<reason>: <message>)`. */
function phaseOf(server: Manifest): string {
  const status = isRecord(server.status) ? server.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as ConditionLike[];
  const ready = conditions.find((c) => c.type === A2AServerConditions.Ready);
  if (ready?.status === "True") return "ready";
  const discovering = conditions.find((c) => c.type === A2AServerConditions.Discovering);
  if (!ready || discovering?.status === "True") return "discovering";
  return `not ready (${ready.reason ?? ""}${ready.message ? `: ${ready.message}` : ""})`;
}

function addressOf(server: Manifest): string {
  const status = isRecord(server.status) ? server.status : {};
  return String(status.lastResolvedEndpoint ?? status.lastResolvedAddress ?? "");
}
