import { GROUP } from "../kinds/definition.js";

/** One Kubernetes RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule), as a Role or ClusterRole lists it. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/**
 * Where a set of rules is granted:
 * - `cluster`: in every namespace (a ClusterRole and ClusterRoleBinding);
 * - `own-namespace`: in the namespace the service runs in (a Role), e.g. the leader-election Lease;
 * - `api-keys-namespace`: in the namespace of ark-api's key Secrets (`ARK_API_KEYS_NAMESPACE`);
 * - `secret-namespaces`: in each namespace whose Secrets ark-api manages for its callers (a Role per namespace,
 *   listed by the deployment: the chart's `ark-api.secretNamespaces`), never cluster-wide.
 */
export type RbacScope = "cluster" | "own-namespace" | "api-keys-namespace" | "secret-namespaces";

export interface ScopedRules {
  scope: RbacScope;
  rules: PolicyRule[];
  /** Granted only when the deployment turns this option on (the chart value of the same name). */
  option?: "rbacCreateNamespaces";
}

export interface ServiceRbac {
  /** What the service does with the API, in one line. */
  why: string;
  /** Not in this repository yet: the rules of what upstream's service does, ready for when it lands. */
  planned?: true;
  /** Empty: the service never calls the Kubernetes API and gets no token at all. */
  grants: ScopedRules[];
}

/** Every identity an ARK deployment runs under (one ServiceAccount each); the controller's two roles are two. */
export const ARK_SERVICE_IDENTITIES = [
  "ark-controller-reconciler",
  "ark-controller-worker",
  "ark-api",
  "ark-mcp",
  "ark-api-a2a",
  "evaluator-llm",
  "executor-langchain",
  "postgres-memory",
  "filesys-mcp",
  "localhost-gateway",
  "ark-apiserver",
  "ark-dashboard",
] as const;

export type ArkServiceIdentity = (typeof ARK_SERVICE_IDENTITIES)[number];

/** The Lease the reconcilers elect their leader with (ark-controller's LEASE_NAME). */
export const CONTROLLER_LEASE_NAME = "ark-controller";

const ark = (resources: string[], verbs: string[]): PolicyRule => ({ apiGroups: [GROUP], resources, verbs });
const core = (resources: string[], verbs: string[]): PolicyRule => ({ apiGroups: [""], resources, verbs });

const READ = ["get", "list", "watch"];
/** What a query refers to, which the reconciler validates and a worker loads. */
const QUERY_REFERENCES = ["agents", "teams", "models", "tools", "mcpservers", "memories", "executionengines", "a2aservers"];
/** Where ValueSources come from (API keys, headers, addresses by serviceRef). */
const VALUE_SOURCES = ["secrets", "configmaps", "services"];
const ALL_ARK_KINDS = ["agents", "teams", "models", "tools", "queries", "mcpservers", "memories", "evaluators", "evaluations", "executionengines", "a2aservers", "referencegrants", "toolapprovalrequests", "a2atasks"];
/** Deciding a ToolApprovalRequest is an update of its status (docs/architecture.md §3.2). */
const DECIDE_APPROVALS = ark(["toolapprovalrequests/status"], ["update"]);

/**
 * The least privilege each service needs, derived from its calls to the Kubernetes API (informers list and watch,
 * typed clients get/create/replace=update/patch/delete). One source for the Helm chart's RBAC (a test in e2e/helm
 * renders the chart and requires these rules) and for the per-service identities of ark-apiserver.
 */
export const serviceRbac: Record<ArkServiceIdentity, ServiceRbac> = {
  "ark-controller-reconciler": {
    why: "informers on what it reconciles and the Secrets, ConfigMaps and Services values come from; status patches; the Query finalizer and TTL delete; the Tools an MCPServer's discovery owns; the Evaluations and dataset Queries evaluations make; Events; its Lease",
    grants: [
      {
        scope: "cluster",
        rules: [
          ark(["queries", ...QUERY_REFERENCES, "referencegrants"], READ),
          ark(["queries"], ["patch", "delete"]),
          ark(["tools"], ["create", "update", "delete"]),
          ark(
            ["queries", ...QUERY_REFERENCES].map((plural) => `${plural}/status`),
            ["patch"],
          ),
          // Discovered Tools are owned with blockOwnerDeletion, which needs update on the owner's finalizers.
          ark(["mcpservers/finalizers"], ["update"]),
          // Evaluations: Evaluators probed and their selector's Evaluations made; batch children and dataset Queries owned by their Evaluation; TTL delete.
          ark(["evaluators", "evaluations"], READ),
          ark(["evaluations"], ["create", "patch", "delete"]),
          ark(["queries"], ["create"]),
          ark(["evaluators/status", "evaluations/status"], ["patch"]),
          ark(["evaluations/finalizers"], ["update"]),
          // The Agents an A2AServer's discovery keeps (owned the same way).
          ark(["agents"], ["create", "update", "delete"]),
          ark(["a2aservers/finalizers"], ["update"]),
          // Paused runs: the requests' status (phase, expiry) and the Query's AwaitingApproval condition.
          ark(["toolapprovalrequests"], READ),
          ark(["toolapprovalrequests/status"], ["patch"]),
          // Tenants' model keys live in their own namespaces: the informer lists Secrets in all of them (read only).
          core(VALUE_SOURCES, READ),
          core(["events"], ["create", "patch"]),
        ],
      },
      {
        scope: "own-namespace",
        rules: [
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
          { apiGroups: ["coordination.k8s.io"], resources: ["leases"], resourceNames: [CONTROLLER_LEASE_NAME], verbs: ["get", "update"] },
        ],
      },
    ],
  },
  "ark-controller-worker": {
    why: "reads the Query it runs and (through informer caches) what the query refers to; creates the ToolApprovalRequest a run pauses on and reads it to resume, and the A2ATask of each remote A2A task a run starts; results go over NATS",
    grants: [
      {
        scope: "cluster",
        rules: [
          ark(["queries"], ["get"]),
          ark([...QUERY_REFERENCES, "referencegrants"], READ),
          core(VALUE_SOURCES, READ),
          ark(["toolapprovalrequests"], ["get", "create"]),
          ark(["a2atasks"], ["get", "create"]),
          ark(["a2atasks/status"], ["patch"]),
        ],
      },
    ],
  },
  "ark-api": {
    why: "does for its callers what they may do: ARK kinds, Events and namespaces cluster-wide; Secrets only where it manages them; watches Queries for ?wait=",
    grants: [
      {
        scope: "cluster",
        rules: [
          ark(ALL_ARK_KINDS, ["get", "list", "create", "update", "delete"]),
          // Cancel is a merge patch of spec.cancel; `?wait=` is answered from one watch on every Query.
          ark(["queries"], ["patch", "watch"]),
          DECIDE_APPROVALS,
          core(["namespaces"], ["get", "list"]),
          core(["events"], ["get", "list"]),
          // A Memory's spec.address (serviceRef, configMapKeyRef) for the session routes.
          core(["services", "configmaps"], ["get"]),
        ],
      },
      { scope: "cluster", option: "rbacCreateNamespaces", rules: [core(["namespaces"], ["create"])] },
      { scope: "api-keys-namespace", rules: [core(["secrets"], ["get", "list", "create", "delete"])] },
      { scope: "secret-namespaces", rules: [core(["secrets"], ["get", "list", "create", "patch", "delete"])] },
    ],
  },
  "ark-mcp": {
    why: "lists what it exposes, creates Queries and cancels them (patch), checks API keys",
    grants: [
      {
        scope: "cluster",
        rules: [
          ark(["agents"], ["get", "list"]),
          ark(["teams", "models"], ["list"]),
          ark(["queries"], ["get", "create", "patch"]),
          ark(["toolapprovalrequests"], ["get", "list"]),
          DECIDE_APPROVALS,
          core(["namespaces"], ["list"]),
        ],
      },
      // Its callers use ark-api's keys: it reads the key Secrets to check them.
      { scope: "api-keys-namespace", rules: [core(["secrets"], ["get"])] },
    ],
  },
  "ark-api-a2a": {
    why: "serves every Agent and Team as an A2A server: watches them, runs and cancels Queries, checks API keys",
    grants: [
      {
        scope: "cluster",
        rules: [ark(["agents", "teams"], READ), ark(["queries"], ["get", "create", "patch"]), ark(["toolapprovalrequests"], ["get", "list"]), DECIDE_APPROVALS],
      },
      // Its callers use ark-api's keys: it reads the key Secrets to check them.
      { scope: "api-keys-namespace", rules: [core(["secrets"], ["get"])] },
    ],
  },
  "evaluator-llm": {
    why: "judges with a Model: reads it and the Secrets, ConfigMaps and Services its values come from, and the Queries it evaluates",
    grants: [{ scope: "cluster", rules: [ark(["models", "queries"], ["get"]), core(VALUE_SOURCES, ["get"])] }],
  },
  "executor-langchain": { why: "gets the agent's configuration in each request", planned: true, grants: [] },
  "postgres-memory": { why: "stores messages in its own database", grants: [] },
  "filesys-mcp": { why: "serves files under its root", grants: [] },
  "localhost-gateway": { why: "proxies HTTP to the other services", grants: [] },
  "ark-apiserver": { why: "is the API (for clusters without the CRDs); it calls no other", grants: [] },
  "ark-dashboard": { why: "talks only to ark-api", grants: [] },
};

/** The rules a service holds in one scope (options: the deployment's switches that are on). */
export function serviceRules(service: ArkServiceIdentity, scope: RbacScope, options: { rbacCreateNamespaces?: boolean } = {}): PolicyRule[] {
  return serviceRbac[service].grants.filter((grant) => grant.scope === scope && (grant.option === undefined || options[grant.option] === true)).flatMap((grant) => grant.rules);
}

export interface IdentityPlacement {
  /** The namespace the services run in: their Lease (`own-namespace`), and ark-api's keys unless keysNamespace says otherwise. */
  serviceNamespace: string;
  keysNamespace?: string;
  /** Where ark-api manages its callers' Secrets: listed namespaces (a cluster), or "all" (a single-user dev stack). */
  secretNamespaces: readonly string[] | "all";
  rbacCreateNamespaces?: boolean;
}

/** What identities hold once placed: cluster rules, and rules per namespace (a Role there), as the chart grants them. */
export function identityGrants(identities: readonly ArkServiceIdentity[], where: IdentityPlacement): { clusterRules: PolicyRule[]; namespaceRules: Record<string, PolicyRule[]> } {
  const namespaceRules: Record<string, PolicyRule[]> = {};
  const add = (namespace: string, rules: PolicyRule[]) => {
    if (rules.length) namespaceRules[namespace] = [...(namespaceRules[namespace] ?? []), ...rules];
  };
  const clusterRules: PolicyRule[] = [];
  for (const identity of identities) {
    clusterRules.push(...serviceRules(identity, "cluster", { rbacCreateNamespaces: where.rbacCreateNamespaces === true }));
    add(where.serviceNamespace, serviceRules(identity, "own-namespace"));
    add(where.keysNamespace ?? where.serviceNamespace, serviceRules(identity, "api-keys-namespace"));
    const secretRules = serviceRules(identity, "secret-namespaces");
    if (where.secretNamespaces === "all") clusterRules.push(...secretRules);
    else for (const namespace of where.secretNamespaces) add(namespace, secretRules);
  }
  return { clusterRules, namespaceRules };
}
