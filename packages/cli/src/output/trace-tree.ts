import { durationText } from "./event-lines.js";

/** One step of a query's run as `ark trace` shows it: the spans of docs/architecture.md §9.1, rebuilt from events. */
export interface TraceNode {
  /** The span's name: `query`, `target`, `team.turn`, `agent`, `chat`, `tool`, `memory.read`, `memory.write`, `approval`. */
  kind: string;
  /** What it names: the target, the agent, the model, the tool… */
  name: string;
  status: "ok" | "error" | "running";
  durationMs?: number;
  /** Facts shown after the name: tokens, finish reason, member, message count. */
  details: string[];
  /** Why it failed. */
  error?: string;
  children: TraceNode[];
}

type Event = { type: string; [key: string]: unknown };

const targetKey = (target: unknown): string | undefined => {
  const t = target as { type?: string; name?: string } | undefined;
  return t?.type && t.name ? `${t.type}/${t.name}` : undefined;
};
const tokens = (usage: unknown): string | undefined => {
  const u = usage as { promptTokens?: number; completionTokens?: number } | undefined;
  return u && typeof u.promptTokens === "number" ? `tokens ${u.promptTokens}→${u.completionTokens ?? 0}` : undefined;
};
const node = (kind: string, name: string, details: string[] = []): TraceNode => ({ kind, name, status: "running", details, children: [] });

/**
 * The tree of a query's run from its execution events, in the order they were published: targets under the query,
 * team turns under their target, an agent's model and tool calls under the agent, and the steps of an agent or team
 * called as a tool under that tool call (their events carry parentToolCallId).
 */
export function traceTree(query: { namespace: string; name: string }, events: readonly Event[]): TraceNode {
  const root = node("query", `${query.namespace}/${query.name}`);
  const targets = new Map<string, TraceNode>();
  const toolCalls = new Map<string, TraceNode>();
  const modelCalls = new Map<string, TraceNode>();
  // The open team turns of each scope (a target or a tool call), latest last; the agent nodes of each container.
  const turns = new Map<TraceNode, { team: string; node: TraceNode }[]>();
  const agents = new Map<TraceNode, Map<string, TraceNode>>();

  const scopeOf = (event: Event): TraceNode => {
    const parentCall = typeof event.parentToolCallId === "string" ? toolCalls.get(event.parentToolCallId) : undefined;
    if (parentCall) return parentCall;
    const key = targetKey(event.target);
    if (!key) return root;
    let target = targets.get(key);
    if (!target) {
      target = node("target", key);
      targets.set(key, target);
      root.children.push(target);
    }
    return target;
  };
  const containerOf = (event: Event): TraceNode => {
    const scope = scopeOf(event);
    const container = turns.get(scope)?.at(-1)?.node ?? scope;
    if (typeof event.agent !== "string") return container;
    const byName = agents.get(container) ?? new Map<string, TraceNode>();
    agents.set(container, byName);
    let agent = byName.get(event.agent);
    if (!agent) {
      agent = node("agent", event.agent);
      byName.set(event.agent, agent);
      container.children.push(agent);
    }
    return agent;
  };
  // A team's next turn ends the one before it, and any inner team's turns within it.
  const closeTurns = (scope: TraceNode, team: string) => {
    const open = turns.get(scope) ?? [];
    turns.set(scope, open);
    let same = open.length - 1;
    while (same >= 0 && open[same]!.team !== team) same--;
    if (same >= 0) for (const ended of open.splice(same)) if (ended.node.status === "running") ended.node.status = "ok";
    return open;
  };
  const end = (target: TraceNode | undefined, event: Event, failed: boolean) => {
    if (!target) return;
    target.status = failed ? "error" : "ok";
    if (typeof event.durationMs === "number") target.durationMs = event.durationMs;
    if (failed) target.error = String(event.message ?? event.error ?? "failed");
  };

  for (const event of events) {
    switch (event.type) {
      case "target.started":
        scopeOf(event);
        break;
      case "target.completed":
      case "target.failed": {
        const target = scopeOf(event);
        end(target, event, event.type === "target.failed");
        const used = tokens(event.tokenUsage);
        if (used) target.details.push(used);
        for (const open of turns.get(target) ?? []) if (open.node.status === "running") open.node.status = target.status;
        break;
      }
      case "team.turn":
        closeTurns(scopeOf(event), String(event.team));
        break;
      case "team.member.selected": {
        const scope = scopeOf(event);
        const team = String(event.team);
        const open = closeTurns(scope, team);
        // An inner team's turn nests in the outer team's (a selector's model call, before it, stays beside the turns).
        const parent = open.at(-1)?.node ?? scope;
        const member = event.member as { type?: string; name?: string } | undefined;
        const turn = node("team.turn", `${team} turn ${String(event.turn ?? "?")}`, [`${member?.type ?? "member"}/${member?.name ?? "?"}`]);
        parent.children.push(turn);
        open.push({ team, node: turn });
        break;
      }
      case "llm.call.started": {
        const call = node("chat", String(event.model));
        modelCalls.set(String(event.callId), call);
        containerOf(event).children.push(call);
        break;
      }
      case "llm.call.completed":
      case "llm.call.failed": {
        const call = modelCalls.get(String(event.callId));
        end(call, event, event.type === "llm.call.failed");
        const used = tokens(event.tokenUsage);
        if (call && used) call.details.push(used);
        if (call && typeof event.finishReason === "string") call.details.push(event.finishReason);
        break;
      }
      case "tool.call.started": {
        const call = node("tool", String(event.toolName));
        toolCalls.set(String(event.toolCallId), call);
        containerOf(event).children.push(call);
        break;
      }
      case "tool.call.completed":
        end(toolCalls.get(String(event.toolCallId)), event, event.isError === true);
        break;
      case "memory.read":
      case "memory.written": {
        const step = node(event.type === "memory.read" ? "memory.read" : "memory.write", String(event.memory), [`session ${String(event.sessionId)}`, `${String(event.messageCount)} messages`]);
        step.status = "ok";
        containerOf(event).children.push(step);
        break;
      }
      case "tool.approval.requested": {
        const waiting = node("approval", String(event.request), ["waiting for a person"]);
        containerOf(event).children.push(waiting);
        break;
      }
      case "query.completed":
      case "query.failed":
      case "query.canceled": {
        end(root, event, event.type !== "query.completed");
        if (event.type === "query.canceled") root.error = String(event.message ?? "canceled");
        const used = tokens(event.tokenUsage);
        if (used) root.details.push(used);
        break;
      }
    }
  }
  // Agents and turns have no end event of their own: they end with what they contain.
  settle(root);
  return root;
}

function settle(n: TraceNode): void {
  for (const child of n.children) settle(child);
  if ((n.kind === "agent" || n.kind === "team.turn") && n.status === "running" && n.children.every((c) => c.status !== "running")) {
    n.status = n.children.some((c) => c.status === "error" && c.kind !== "tool") ? "error" : "ok";
  }
}

/** The tree drawn for a terminal, one node a line: `name  status  duration  details`. */
export function renderTraceTree(root: TraceNode): string {
  const lines: string[] = [];
  const label = (n: TraceNode): string => {
    const status = n.status === "error" ? `✗ ${n.error ?? "failed"}` : n.status === "running" ? "… running" : "";
    return [`${n.kind} ${n.name}`, n.durationMs !== undefined ? durationText(n.durationMs) : "", ...n.details, status].filter(Boolean).join("  ");
  };
  const walk = (n: TraceNode, prefix: string, last: boolean, top: boolean): void => {
    lines.push(top ? label(n) : `${prefix}${last ? "└─ " : "├─ "}${label(n)}`);
    const next = top ? "" : `${prefix}${last ? "   " : "│  "}`;
    n.children.forEach((child, i) => walk(child, next, i === n.children.length - 1, false));
  };
  walk(root, "", true, true);
  return lines.join("\n");
}
