import { createInformerCache, type ArkObject, type InformerCache } from "@ark/kube";
import { agentKind, teamKind } from "@ark/types";
import type { KubeConfig } from "@kubernetes/client-node";
import type { FastifyBaseLogger } from "fastify";
import { SKILLS_ANNOTATION, skillsOf, type ServedKind, type ServedResource } from "./agent-card.js";

type Resource = ArkObject<{ description?: string | undefined }, unknown>;

interface NamespaceCaches {
  agents: InformerCache<Resource>;
  teams: InformerCache<Resource>;
}

/** The Agents and Teams of the served namespaces, followed through informers (a new one answers at once, a deleted one 404s). */
export class AgentRegistry {
  private readonly caches = new Map<string, NamespaceCaches>();
  private readonly reported = new Map<string, string>();
  private readonly deleteListeners: ((namespace: string, name: string) => void)[] = [];

  constructor(
    kc: KubeConfig,
    readonly namespaces: readonly string[],
    private readonly log: FastifyBaseLogger,
  ) {
    const kubeLog = log;
    for (const namespace of namespaces) {
      const agents = createInformerCache(kc, agentKind, { namespace, log: kubeLog }) as unknown as InformerCache<Resource>;
      const teams = createInformerCache(kc, teamKind, { namespace, log: kubeLog }) as unknown as InformerCache<Resource>;
      for (const [kind, cache] of [
        ["agent", agents],
        ["team", teams],
      ] as const) {
        cache.on("add", (obj) => this.reportSkills(kind, obj));
        cache.on("update", (obj) => this.reportSkills(kind, obj));
        cache.on("delete", (obj) => {
          this.reported.delete(`${kind}/${namespace}/${obj.metadata.name}`);
          for (const listener of this.deleteListeners) listener(namespace, obj.metadata.name ?? "");
        });
      }
      this.caches.set(namespace, { agents, teams });
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.caches.values()].flatMap((caches) => [caches.agents.start(), caches.teams.start()]));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.caches.values()].flatMap((caches) => [caches.agents.stop(), caches.teams.stop()]));
  }

  /** Called when an Agent or Team goes (what was built for it can go too). */
  onDelete(listener: (namespace: string, name: string) => void): void {
    this.deleteListeners.push(listener);
  }

  hasSynced(): boolean {
    return [...this.caches.values()].every((caches) => caches.agents.hasSynced() && caches.teams.hasSynced());
  }

  /** The Agent (or, when no Agent has the name, the Team) served at namespace/name. */
  get(namespace: string, name: string): (ServedResource & { version: string }) | undefined {
    const caches = this.caches.get(namespace);
    if (!caches) return undefined;
    const agent = caches.agents.get(namespace, name);
    if (agent) return servedOf("agent", agent);
    const team = caches.teams.get(namespace, name);
    return team ? servedOf("team", team) : undefined;
  }

  list(): ServedResource[] {
    const served: ServedResource[] = [];
    for (const [namespace, caches] of this.caches) {
      const agents = caches.agents.list(namespace);
      const agentNames = new Set(agents.map((agent) => agent.metadata.name));
      served.push(...agents.map((agent) => servedOf("agent", agent)));
      served.push(
        ...caches.teams
          .list(namespace)
          .filter((team) => !agentNames.has(team.metadata.name ?? ""))
          .map((team) => servedOf("team", team)),
      );
    }
    return served.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  }

  // An unusable skills annotation is reported once per value, as a condition-like line.
  private reportSkills(kind: ServedKind, obj: Resource): void {
    const served = servedOf(kind, obj);
    const { problem } = skillsOf(served);
    const key = `${kind}/${served.namespace}/${served.name}`;
    const annotation = served.annotations?.[SKILLS_ANNOTATION] ?? "";
    if (!problem || this.reported.get(key) === annotation) return;
    this.reported.set(key, annotation);
    this.log.warn(
      { kind, namespace: served.namespace, name: served.name, condition: { type: "SkillsValid", status: "False", reason: "InvalidAnnotation", message: problem } },
      `${kind} ${served.namespace}/${served.name}: ${problem}; the card uses the default skill`,
    );
  }
}

function servedOf(kind: ServedKind, obj: Resource): ServedResource & { version: string } {
  return {
    kind,
    namespace: obj.metadata.namespace ?? "",
    name: obj.metadata.name ?? "",
    description: obj.spec?.description,
    annotations: obj.metadata.annotations,
    version: `${obj.metadata.uid}/${obj.metadata.resourceVersion}`,
  };
}
