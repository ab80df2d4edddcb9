import { A2ACardError, defaultEgressGuard, fetchAgentCard, resolveEndpoint, type A2ACardProblem } from "@ark/engine";
import { apiErrorMessage, getCondition, resolveHeaders, type A2AServer, type Agent, type InformerCache, type MergePatch } from "@ark/kube";
import { A2A_SERVER_NAME_ANNOTATION, A2AServerConditions, A2AServerReasons, type A2AServerStatus } from "@ark/types";
import { serverAddress } from "../references/server-address.js";
import { desiredA2AAgent, labelledAgents, syncA2AAgents, type DesiredA2AAgent } from "./a2a-agent-sync.js";
import { discoveryReconciler, discoveryStatusWriter, recordEvent, type DiscoveryDeps } from "./discovery-loop.js";

const READY = A2AServerConditions.Ready;
const DISCOVERING = A2AServerConditions.Discovering;
const DEFAULT_POLL_MS = 60_000;
const CARD_TIMEOUT_MS = 30_000;

export interface A2AServerReconcilerDeps extends DiscoveryDeps {
  a2aServers: InformerCache<A2AServer>;
  agents: InformerCache<Agent>;
}

type Outcome = { ok: true; agent: DesiredA2AAgent; endpoint: string; rejected?: string } | { ok: false; reason: string; message: string; sweep?: boolean };

/** The condition reason for each way a card can fail to be read. */
const CARD_REASONS: Record<A2ACardProblem, string> = {
  unreachable: A2AServerReasons.ServerUnreachable,
  refused: A2AServerReasons.EgressRefused,
  "http-status": A2AServerReasons.DiscoveryFailed,
  "not-found": A2AServerReasons.CardNotFound,
  "not-json": A2AServerReasons.CardNotJson,
  "too-large": A2AServerReasons.CardTooLarge,
  invalid: A2AServerReasons.InvalidCard,
};

/**
 * A2AServer (docs/upstream-compat.md §5.7): resolve the address and headers, read the agent card, keep one Agent for
 * the remote agent (owned, labelled, annotated, `executionEngine: a2a`), Ready/Discovering; discover again every
 * pollInterval, sooner (1 s doubling) while the remote is down. A remote that answers but has no card any more no
 * longer offers its agent: the Agent goes. A remote that cannot be reached keeps its Agent (queries to it fail).
 */
export function a2aServerReconciler(deps: A2AServerReconcilerDeps) {
  const agentDeps = { agents: deps.agents, ark: deps.resources.ark };
  const egress = deps.egress ?? defaultEgressGuard;
  const writeStatus = discoveryStatusWriter(deps.resources.ark.a2aServers);
  const record = (server: A2AServer, type: "Normal" | "Warning", reason: string, message: string) => recordEvent(deps.events, server, type, reason, message);

  return discoveryReconciler<A2AServer, Outcome>(
    {
      cache: deps.a2aServers,
      defaultPollMs: DEFAULT_POLL_MS,
      initializing: {
        ready: { type: READY, status: "False", reason: A2AServerReasons.Initializing, message: "A2AServer is being initialized" },
        discovering: { type: DISCOVERING, status: "True", reason: A2AServerReasons.StartingDiscovery, message: "Starting agent discovery process" },
      },
      discover,
      settle: (server, outcome) => (outcome.ok ? applyAgent(server, outcome) : reportFailure(server, outcome)),
    },
    writeStatus,
  );

  async function discover(server: A2AServer): Promise<Outcome> {
    let address: string;
    try {
      address = await serverAddress(server, deps.resources);
    } catch (error) {
      return { ok: false, reason: A2AServerReasons.AddressResolutionFailed, message: `address resolution failed: ${apiErrorMessage(error)}` };
    }
    if (server.status?.lastResolvedAddress !== address) await writeStatus(server, {}, { lastResolvedAddress: address });
    let headers: Record<string, string>;
    try {
      headers = await resolveHeaders(server.spec.headers, server.metadata.namespace ?? "", deps.values);
    } catch (error) {
      return { ok: false, reason: A2AServerReasons.HeadersResolutionFailed, message: `headers: ${apiErrorMessage(error)}` };
    }
    try {
      const { card } = await fetchAgentCard(address, { headers, egress, timeoutMs: CARD_TIMEOUT_MS });
      const { endpoint, rejected } = resolveEndpoint(address, card, server.spec.endpointResolution, server.spec.allowedEndpointHosts);
      const agent = desiredA2AAgent(server, card, endpoint);
      if (!agent.name) return { ok: false, reason: A2AServerReasons.InvalidCard, message: `the card's name ${JSON.stringify(card.name)} gives no valid Agent name` };
      return { ok: true, agent, endpoint, ...(rejected ? { rejected } : {}) };
    } catch (error) {
      if (error instanceof A2ACardError) return { ok: false, reason: CARD_REASONS[error.problem], message: error.message, sweep: error.problem === "not-found" };
      return { ok: false, reason: A2AServerReasons.DiscoveryFailed, message: apiErrorMessage(error) };
    }
  }

  async function applyAgent(server: A2AServer, outcome: Extract<Outcome, { ok: true }>): Promise<void> {
    const { problems, created } = await syncA2AAgents(agentDeps, server, [outcome.agent]);
    const endpointStatus: MergePatch<A2AServerStatus> = { lastResolvedEndpoint: outcome.endpoint, rejectedEndpoint: outcome.rejected ?? null };
    if (problems.length > 0) {
      const message = `Failed to create agent: ${problems.join("; ")}`;
      await writeStatus(
        server,
        {
          ready: { type: READY, status: "False", reason: A2AServerReasons.AgentCreationFailed, message },
          discovering: { type: DISCOVERING, status: "False", reason: A2AServerReasons.DiscoveryComplete, message: "Agent discovery completed" },
        },
        endpointStatus,
      );
      record(server, "Warning", A2AServerReasons.AgentCreationFailed, message);
      return;
    }
    for (const name of created) record(server, "Normal", "AgentCreated", `Agent created: ${name}`);
    const previous = getCondition(server.status?.conditions, READY);
    const message = `Successfully discovered agent ${outcome.agent.name}`;
    await writeStatus(
      server,
      {
        ready: { type: READY, status: "True", reason: A2AServerReasons.AgentDiscovered, message },
        discovering: { type: DISCOVERING, status: "False", reason: A2AServerReasons.DiscoveryComplete, message: "Agent discovery completed" },
      },
      endpointStatus,
    );
    if (previous?.status !== "True" || previous.message !== message) record(server, "Normal", "AgentDiscovery", `agent discovered: ${outcome.agent.name}`);
  }

  async function reportFailure(server: A2AServer, outcome: Extract<Outcome, { ok: false }>): Promise<void> {
    const previous = getCondition(server.status?.conditions, READY);
    let message = `Server not ready: ${outcome.message}`;
    if (outcome.sweep && labelledAgents(deps.agents, server.metadata.namespace ?? "", server.metadata.name ?? "").length > 0) {
      const { problems } = await syncA2AAgents(agentDeps, server, []);
      if (problems.length > 0) message += `; ${problems.join("; ")}`;
    }
    await writeStatus(server, {
      ready: { type: READY, status: "False", reason: outcome.reason, message },
      discovering: { type: DISCOVERING, status: "False", reason: outcome.reason, message: `Cannot complete discovery: ${outcome.message}` },
    });
    if (previous?.reason !== outcome.reason || previous?.message !== message) record(server, "Warning", outcome.reason, message);
  }
}

/** Agents carry the `a2a.server/name` label: an Agent changed or deleted by hand brings its A2AServer back to put it right. */
export function a2aServerOfAgent(agent: Agent): string[] {
  const server = agent.metadata.labels?.[A2A_SERVER_NAME_ANNOTATION];
  return server ? [`${agent.metadata.namespace ?? ""}/${server}`] : [];
}
