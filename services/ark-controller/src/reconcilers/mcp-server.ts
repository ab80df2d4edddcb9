import { type EgressGuard, listMcpTools, type McpDiscoveredTool } from "@ark/engine";
import {
  apiErrorMessage,
  getCondition,
  patchStatus,
  resolveHeaders,
  splitKey,
  type ConditionUpdate,
  type EventRecorder,
  type InformerCache,
  type MCPServer,
  type MergePatch,
  type ReconcileResult,
  type Tool,
  type ValueSourceReader,
} from "@ark/kube";
import { McpServerConditions, McpServerReasons, type MCPServerStatus } from "@ark/types";
import { mcpServerAddress } from "../references/mcp-server-connection.js";
import type { ArkResources } from "../resources.js";
import { MCP_SERVER_LABEL, deleteMcpTools, labelledTools, syncMcpTools } from "./mcp-tool-sync.js";
import { discoveryStatus, goDurationMs, type DiscoveryConditions } from "./discovery-status.js";
import { ProbeSchedule } from "./probe-schedule.js";

const READY = McpServerConditions.Ready;
const DISCOVERING = McpServerConditions.Discovering;

const DEFAULT_POLL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Upstream gives up on a server after 5 connect attempts and deletes its Tools; one attempt per reconcile here. */
const CONNECT_FAILURES_BEFORE_SWEEP = 5;

export interface McpServerReconcilerDeps {
  mcpServers: InformerCache<MCPServer>;
  tools: InformerCache<Tool>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  /** Secrets of `spec.headers`. */
  values: ValueSourceReader;
  events: EventRecorder;
  /** Where tenant MCP servers may be reached (metadata addresses refused by default). */
  egress?: EgressGuard;
}

interface DiscoveryMemo {
  /** Discoveries in a row that could not connect. */
  connectFailures: number;
  /** The listing when the last discovery succeeded, kept to restore Tools deleted or edited between polls. */
  tools?: McpDiscoveredTool[];
}

type Outcome = { ok: true; tools: McpDiscoveredTool[] } | { ok: false; ready: ConditionUpdate; discovering: ConditionUpdate; connectFailed?: boolean };

/**
 * MCPServer (docs/upstream-compat.md §5.6): resolve the address and headers, `tools/list`, keep one Tool CR per server tool
 * (labelled, owned), Ready/Discovering and toolCount; discover again every pollInterval, sooner after failures.
 */
export function mcpServerReconciler(deps: McpServerReconcilerDeps) {
  // Next discovery: after pollInterval, or sooner after failures (1 s doubling, at most the interval or 5 min).
  const discoveries = new ProbeSchedule<DiscoveryMemo>({ retryBaseMs: 1_000, retryMaxMs: 300_000 });
  const toolDeps = { tools: deps.tools, ark: deps.resources.ark };

  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    let server = deps.mcpServers.get(namespace, name);
    if (!server) {
      discoveries.forget(key);
      return;
    }
    const pollMs = goDurationMs(server.spec.pollInterval, DEFAULT_POLL_MS);
    const last = discoveries.current(key, server);
    if (last) {
      const due = discoveries.dueIn(last, pollMs);
      // Between polls, a Tool deleted or edited by hand is put back from the last listing, without asking the server.
      if (due > 0) {
        if (last.failures === 0 && last.memo?.tools) await applyTools(server, last.memo.tools);
        return due < Infinity ? { requeueAfter: due } : undefined;
      }
    }

    if (!server.status?.conditions?.length) {
      server =
        (await writeStatus(server, {
          ready: { type: READY, status: "False", reason: McpServerReasons.Initializing, message: "MCPServer is being initialized" },
          discovering: { type: DISCOVERING, status: "True", reason: McpServerReasons.Starting, message: "Starting tool discovery process" },
        })) ?? server;
    }

    const outcome = await discover(server);
    const connectFailures = !outcome.ok && outcome.connectFailed ? (last?.memo?.connectFailures ?? 0) + 1 : 0;
    const { failures } = discoveries.record(key, server, "", outcome.ok, last, { connectFailures, ...(outcome.ok ? { tools: outcome.tools } : {}) });

    if (outcome.ok) await applyTools(server, outcome.tools);
    else await reportFailure(server, outcome, connectFailures);
    const delay = discoveries.delay(failures, pollMs);
    return delay < Infinity ? { requeueAfter: delay } : undefined;
  };

  async function discover(server: MCPServer): Promise<Outcome> {
    const namespace = server.metadata.namespace ?? "";
    let address: string;
    try {
      address = await mcpServerAddress(server, deps.resources);
    } catch (error) {
      const message = `address resolution failed: ${apiErrorMessage(error)}`;
      return failed(McpServerReasons.AddressResolutionFailed, `Server not ready: ${message}`, `Cannot attempt discovery: ${message}`);
    }
    await writeStatus(server, {}, { resolvedAddress: address });
    let headers: Record<string, string>;
    try {
      headers = await resolveHeaders(server.spec.headers, namespace, deps.values);
    } catch (error) {
      const message = `headers: ${apiErrorMessage(error)}`;
      return { ...failed(McpServerReasons.ClientCreationFailed, `Server not ready: ${message}`, `Cannot attempt discovery: ${message}`), connectFailed: false };
    }
    const timeoutMs = goDurationMs(server.spec.timeout, DEFAULT_TIMEOUT_MS);
    const listing = await listMcpTools(
      { url: address, transport: server.spec.transport, headers },
      { timeoutMs: timeoutMs === Infinity ? DEFAULT_TIMEOUT_MS : timeoutMs, ...(deps.egress ? { egress: deps.egress } : {}) },
    );
    if (listing.ok) return listing;
    const message = listing.error.message;
    if (listing.stage === "connect") {
      return { ...failed(McpServerReasons.ClientCreationFailed, `Server not ready: cannot connect: ${message}`, `Cannot attempt discovery: cannot connect: ${message}`), connectFailed: true };
    }
    return {
      ok: false,
      ready: { type: READY, status: "False", reason: McpServerReasons.ToolListingFailed, message: `Server not ready: tool listing failed: ${message}` },
      discovering: { type: DISCOVERING, status: "True", reason: McpServerReasons.ServerConnectedAndToolListingFailed, message },
    };
  }

  async function applyTools(server: MCPServer, tools: McpDiscoveredTool[]): Promise<void> {
    const problems = await syncMcpTools(toolDeps, server, tools);
    if (problems.length > 0) {
      await writeStatus(server, {
        ready: { type: READY, status: "False", reason: McpServerReasons.ToolCreationFailed, message: `Failed to create tools: ${problems.join("; ")}` },
        discovering: { type: DISCOVERING, status: "False", reason: McpServerReasons.DiscoveryComplete, message: "Tool discovery completed" },
      });
      record(server, "Warning", "ToolCreationFailed", problems.join("; "));
      return;
    }
    const previous = getCondition(server.status?.conditions, READY);
    const changed = previous?.status !== "True" || server.status?.toolCount !== tools.length;
    await writeStatus(
      server,
      {
        ready: { type: READY, status: "True", reason: McpServerReasons.ToolsDiscovered, message: `Successfully discovered ${tools.length} tools` },
        discovering: { type: DISCOVERING, status: "False", reason: McpServerReasons.DiscoveryComplete, message: "Tool discovery completed" },
      },
      { toolCount: tools.length },
    );
    if (changed) record(server, "Normal", "ToolDiscovery", `tools discovered: ${tools.length}`);
  }

  async function reportFailure(server: MCPServer, outcome: Extract<Outcome, { ok: false }>, connectFailures: number): Promise<void> {
    const previous = getCondition(server.status?.conditions, READY);
    let extra: MergePatch<MCPServerStatus> = {};
    if (connectFailures >= CONNECT_FAILURES_BEFORE_SWEEP) {
      const name = server.metadata.name ?? "";
      if (labelledTools(deps.tools, server.metadata.namespace ?? "", name).length > 0) await deleteMcpTools(toolDeps, server);
      extra = { toolCount: 0 };
    }
    await writeStatus(server, { ready: outcome.ready, discovering: outcome.discovering }, extra);
    if (previous?.reason !== outcome.ready.reason || previous?.message !== outcome.ready.message) {
      record(server, "Warning", outcome.ready.reason ?? "DiscoveryFailed", outcome.ready.message ?? "");
    }
  }

  async function writeStatus(server: MCPServer, conditions: DiscoveryConditions, extra: MergePatch<MCPServerStatus> = {}): Promise<MCPServer | undefined> {
    return (await patchStatus(deps.resources.ark.mcpServers, server, discoveryStatus(server, conditions, extra))) as MCPServer | undefined;
  }

  function record(server: MCPServer, type: "Normal" | "Warning", reason: string, message: string): void {
    void deps.events.record(server, { type, reason, message }).catch(() => undefined);
  }
}

/** Tools carry the `mcp/server` label: a Tool changed or deleted by hand brings its MCPServer back to put it right. */
export function mcpServerOfTool(tool: Tool): string[] {
  const server = tool.metadata.labels?.[MCP_SERVER_LABEL];
  return server ? [`${tool.metadata.namespace ?? ""}/${server}`] : [];
}

function failed(reason: string, readyMessage: string, discoveringMessage: string): Extract<Outcome, { ok: false }> {
  return {
    ok: false,
    ready: { type: READY, status: "False", reason, message: readyMessage },
    discovering: { type: DISCOVERING, status: "False", reason, message: discoveringMessage },
  };
}
