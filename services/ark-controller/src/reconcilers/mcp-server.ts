import { listMcpTools, type McpDiscoveredTool } from "@ark/engine";
import { apiErrorMessage, getCondition, resolveHeaders, type ConditionUpdate, type InformerCache, type MCPServer, type MergePatch, type Tool } from "@ark/kube";
import { McpServerConditions, McpServerReasons, type MCPServerStatus } from "@ark/types";
import { serverAddress } from "../references/server-address.js";
import { MCP_SERVER_LABEL, deleteMcpTools, labelledTools, syncMcpTools } from "./mcp-tool-sync.js";
import { discoveryReconciler, discoveryStatusWriter, recordEvent, type DiscoveryDeps } from "./discovery-loop.js";
import { goDurationMs } from "./discovery-status.js";

const READY = McpServerConditions.Ready;
const DISCOVERING = McpServerConditions.Discovering;

const DEFAULT_POLL_MS = 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Upstream gives up on a server after 5 connect attempts and deletes its Tools; one attempt per reconcile here. */
const CONNECT_FAILURES_BEFORE_SWEEP = 5;

export interface McpServerReconcilerDeps extends DiscoveryDeps {
  mcpServers: InformerCache<MCPServer>;
  tools: InformerCache<Tool>;
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
  const toolDeps = { tools: deps.tools, ark: deps.resources.ark };
  const writeStatus = discoveryStatusWriter(deps.resources.ark.mcpServers);
  const record = (server: MCPServer, type: "Normal" | "Warning", reason: string, message: string) => recordEvent(deps.events, server, type, reason, message);

  return discoveryReconciler<MCPServer, Outcome, DiscoveryMemo>(
    {
      cache: deps.mcpServers,
      defaultPollMs: DEFAULT_POLL_MS,
      initializing: {
        ready: { type: READY, status: "False", reason: McpServerReasons.Initializing, message: "MCPServer is being initialized" },
        discovering: { type: DISCOVERING, status: "True", reason: McpServerReasons.Starting, message: "Starting tool discovery process" },
      },
      // Between polls, a Tool deleted or edited by hand is put back from the last listing, without asking the server.
      betweenPolls: async (server, last) => {
        if (last.failures === 0 && last.memo?.tools) await applyTools(server, last.memo.tools);
      },
      discover,
      memo: (outcome, last) => ({
        connectFailures: !outcome.ok && outcome.connectFailed ? (last?.memo?.connectFailures ?? 0) + 1 : 0,
        ...(outcome.ok ? { tools: outcome.tools } : {}),
      }),
      settle: (server, outcome, memo) => (outcome.ok ? applyTools(server, outcome.tools) : reportFailure(server, outcome, memo?.connectFailures ?? 0)),
    },
    writeStatus,
  );

  async function discover(server: MCPServer): Promise<Outcome> {
    const namespace = server.metadata.namespace ?? "";
    let address: string;
    try {
      address = await serverAddress(server, deps.resources);
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
