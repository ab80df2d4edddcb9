import { A2ACardError, defaultEgressGuard, type EgressGuard, fetchAgentCard, resolveEndpoint, type A2ACardProblem } from "@ark/engine";
import {
  apiErrorMessage,
  getCondition,
  patchStatus,
  resolveHeaders,
  splitKey,
  type A2AServer,
  type Agent,
  type ConditionUpdate,
  type EventRecorder,
  type InformerCache,
  type MergePatch,
  type ReconcileResult,
  type ValueSourceReader,
} from "@ark/kube";
import { A2A_SERVER_NAME_ANNOTATION, A2AServerConditions, A2AServerReasons, type A2AServerStatus } from "@ark/types";
import { a2aServerAddress } from "../references/a2a-server-connection.js";
import type { ArkResources } from "../resources.js";
import { desiredA2AAgent, labelledAgents, syncA2AAgents, type DesiredA2AAgent } from "./a2a-agent-sync.js";
import { discoveryStatus, goDurationMs, type DiscoveryConditions } from "./discovery-status.js";
import { ProbeSchedule } from "./probe-schedule.js";

const READY = A2AServerConditions.Ready;
const DISCOVERING = A2AServerConditions.Discovering;
const DEFAULT_POLL_MS = 60_000;
const CARD_TIMEOUT_MS = 30_000;

export interface A2AServerReconcilerDeps {
  a2aServers: InformerCache<A2AServer>;
  agents: InformerCache<Agent>;
  resources: Pick<ArkResources, "ark" | "resolveValueSource">;
  /** Secrets of `spec.headers`. */
  values: ValueSourceReader;
  events: EventRecorder;
  /** Where tenant A2A servers may be reached (metadata addresses refused whatever the configuration). */
  egress?: EgressGuard;
}

type Outcome =
  | { ok: true; agent: DesiredA2AAgent; endpoint: string; rejected?: string }
  | { ok: false; reason: string; message: string; sweep?: boolean };

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
  const discoveries = new ProbeSchedule({ retryBaseMs: 1_000, retryMaxMs: 300_000 });
  const agentDeps = { agents: deps.agents, ark: deps.resources.ark };
  const egress = deps.egress ?? defaultEgressGuard;

  return async (key: string): Promise<ReconcileResult | void> => {
    const { namespace, name } = splitKey(key);
    let server = deps.a2aServers.get(namespace, name);
    if (!server) {
      discoveries.forget(key);
      return;
    }
    const pollMs = goDurationMs(server.spec.pollInterval, DEFAULT_POLL_MS);
    const last = discoveries.current(key, server);
    if (last) {
      const due = discoveries.dueIn(last, pollMs);
      if (due > 0) return due < Infinity ? { requeueAfter: due } : undefined;
    }
    if (!server.status?.conditions?.length) {
      server =
        (await writeStatus(server, {
          ready: { type: READY, status: "False", reason: A2AServerReasons.Initializing, message: "A2AServer is being initialized" },
          discovering: { type: DISCOVERING, status: "True", reason: A2AServerReasons.StartingDiscovery, message: "Starting agent discovery process" },
        })) ?? server;
    }
    const outcome = await discover(server);
    const { failures } = discoveries.record(key, server, "", outcome.ok, last);
    if (outcome.ok) await applyAgent(server, outcome);
    else await reportFailure(server, outcome);
    const delay = discoveries.delay(failures, pollMs);
    return delay < Infinity ? { requeueAfter: delay } : undefined;
  };

  async function discover(server: A2AServer): Promise<Outcome> {
    let address: string;
    try {
      address = await a2aServerAddress(server, deps.resources);
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

  async function writeStatus(server: A2AServer, conditions: DiscoveryConditions, extra: MergePatch<A2AServerStatus> = {}): Promise<A2AServer | undefined> {
    return (await patchStatus(deps.resources.ark.a2aServers, server, discoveryStatus(server, conditions, extra))) as A2AServer | undefined;
  }

  function record(server: A2AServer, type: "Normal" | "Warning", reason: string, message: string): void {
    void deps.events.record(server, { type, reason, message }).catch(() => undefined);
  }
}

/** Agents carry the `a2a.server/name` label: an Agent changed or deleted by hand brings its A2AServer back to put it right. */
export function a2aServerOfAgent(agent: Agent): string[] {
  const server = agent.metadata.labels?.[A2A_SERVER_NAME_ANNOTATION];
  return server ? [`${agent.metadata.namespace ?? ""}/${server}`] : [];
}
