import { describe, expect, it } from "vitest";
import { renderArk, SCENARIOS } from "./ark-charts.js";
import type { Manifest } from "./chart/manifests.js";
import type { Values } from "./chart/coalesce-values.js";

// The flows of docs' service table (who talks to whom) allowed, everything else in ARK's namespace denied:
// evaluated over the rendered NetworkPolicies with the Kubernetes semantics (a pod selected by no policy of a type is
// open for it; selected, only what some rule of that type allows).

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: unknown[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface Rule {
  ports?: { port: number; protocol?: string }[];
  from?: Peer[];
  to?: Peer[];
}
type Policy = Manifest & { spec: { podSelector: Selector; policyTypes: ("Ingress" | "Egress")[]; ingress?: Rule[]; egress?: Rule[] } };

/** A pod (namespace and labels) or an address outside the cluster. */
type Endpoint = { namespace: string; labels: Record<string, string> } | { ip: string };

const NS = "ark-system";
const ark = (name: string, component?: string): Endpoint => ({
  namespace: NS,
  labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "ark", "app.kubernetes.io/part-of": "ark", ...(component ? { "app.kubernetes.io/component": component } : {}) },
});
const reconciler = ark("ark-controller", "reconciler");
const worker = ark("ark-controller", "worker");
const arkApi = ark("ark-api");
const arkMcp = ark("ark-mcp");
const filesys = ark("filesys-mcp");
const memory = ark("postgres-memory");
const evaluator = ark("evaluator-llm");
const executor = ark("executor-langchain");
const gateway = ark("localhost-gateway");
const apiserver = ark("ark-apiserver");
const tenantPod: Endpoint = { namespace: "team-a", labels: { app: "my-tool" } };
const strangerInArkNamespace: Endpoint = { namespace: NS, labels: { app: "something-else" } };
const natsPod: Endpoint = { namespace: "nats", labels: { app: "nats" } };
const postgresPod: Endpoint = { namespace: "databases", labels: { app: "postgres" } };
const kubeDns: Endpoint = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" } };
const kubernetesApi: Endpoint = { ip: "10.96.0.1" };
const modelProvider: Endpoint = { ip: "203.0.113.10" };
const user: Endpoint = { ip: "198.51.100.7" };
const metadata: Endpoint = { ip: "169.254.169.254" };
const azureWireServer: Endpoint = { ip: "168.63.129.16" };

function selects(selector: Selector, labels: Record<string, string>): boolean {
  if (selector.matchExpressions?.length) throw new Error("matchExpressions are not evaluated here");
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function ipv4(ip: string): number | undefined {
  const parts = ip.split(".").map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p < 256) ? parts.reduce((a, p) => a * 256 + p, 0) : undefined;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const [a, b] = [ipv4(ip), ipv4(base!)];
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

/** Whether a peer of a policy in `policyNs` matches the endpoint (ipBlock matches addresses, never pods). */
function peerMatches(peer: Peer, end: Endpoint, policyNs: string): boolean {
  if (peer.ipBlock) return "ip" in end && inCidr(end.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e) => inCidr(end.ip, e));
  if (!("namespace" in end)) return false;
  const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": end.namespace }) : end.namespace === policyNs;
  return nsOk && (peer.podSelector ? selects(peer.podSelector, end.labels) : true);
}

function ruleAllows(rule: Rule, peers: Peer[] | undefined, other: Endpoint, port: number, protocol: string, policyNs: string): boolean {
  const portOk = !rule.ports || rule.ports.some((p) => p.port === port && (p.protocol ?? "TCP") === protocol);
  return portOk && (!peers || peers.some((peer) => peerMatches(peer, other, policyNs)));
}

function allowed(policies: Policy[], from: Endpoint, to: Endpoint, port: number, protocol = "TCP"): boolean {
  const side = (pod: Endpoint, type: "Ingress" | "Egress", other: Endpoint): boolean => {
    if (!("namespace" in pod)) return true;
    const applying = policies.filter((p) => p.metadata.namespace === pod.namespace && p.spec.policyTypes.includes(type) && selects(p.spec.podSelector, pod.labels));
    if (applying.length === 0) return true;
    return applying.some((p) => (type === "Ingress" ? p.spec.ingress : p.spec.egress)?.some((rule) => ruleAllows(rule, type === "Ingress" ? rule.from : rule.to, other, port, protocol, p.metadata.namespace!)));
  };
  return side(from, "Egress", to) && side(to, "Ingress", from);
}

const policiesOf = (values: Values) => renderArk(values).filter((m) => m.kind === "NetworkPolicy") as Policy[];

describe("NetworkPolicies (on by default)", () => {
  const policies = policiesOf(SCENARIOS.everything!);
  const can = (from: Endpoint, to: Endpoint, port: number, protocol?: string) => allowed(policies, from, to, port, protocol);

  it("deny everything in ARK's namespace by default, and give every ARK workload its own policy", () => {
    const deny = policies.find((p) => p.metadata.name === "ark-default-deny")!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const deployments = renderArk(SCENARIOS.everything!).filter((m) => m.kind === "Deployment") as (Manifest & { spec: { template: { metadata: { labels: Record<string, string> } } } })[];
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      const own = policies.filter((p) => p.metadata.name !== "ark-default-deny" && p.metadata.name !== "ark-dns" && selects(p.spec.podSelector, d.spec.template.metadata.labels));
      expect(
        own.map((p) => p.metadata.name),
        d.metadata.name,
      ).toEqual([d.metadata.name]);
    }
    expect(can(strangerInArkNamespace, modelProvider, 443)).toBe(false);
    expect(can(tenantPod, strangerInArkNamespace, 80)).toBe(false);
  });

  it("allow the flows ARK needs: users to ark-api and the gateway, the controller to the API and NATS, workers to memory, MCP servers and models", () => {
    const flows: [string, Endpoint, Endpoint, number, string?][] = [
      ["user → ark-api", user, arkApi, 8000],
      ["user → localhost-gateway", user, gateway, 8080],
      ["user → ark-mcp", user, arkMcp, 2627],
      ["gateway → ark-api", gateway, arkApi, 8000],
      ["gateway → filesys-mcp", gateway, filesys, 9090],
      ["reconciler → Kubernetes API", reconciler, kubernetesApi, 443],
      ["reconciler → ark-apiserver", reconciler, apiserver, 6443],
      ["reconciler → NATS", reconciler, natsPod, 4222],
      ["reconciler → model (probe)", reconciler, modelProvider, 443],
      ["reconciler → postgres-memory (probe)", reconciler, memory, 8002],
      ["reconciler → filesys-mcp (tool discovery)", reconciler, filesys, 9090],
      ["worker → Kubernetes API", worker, kubernetesApi, 6443],
      ["worker → NATS", worker, natsPod, 4222],
      ["worker → postgres-memory", worker, memory, 8002],
      ["worker → executor-langchain", worker, executor, 8003],
      ["reconciler → executor-langchain (probe)", reconciler, executor, 8003],
      ["executor-langchain → worker (tool callback)", executor, worker, 8081],
      ["executor-langchain → model provider", executor, modelProvider, 443],
      ["worker → filesys-mcp", worker, filesys, 9090],
      ["worker → ark-mcp", worker, arkMcp, 2627],
      ["worker → model provider", worker, modelProvider, 443],
      ["worker → a tenant's MCP server", worker, tenantPod, 8080],
      ["ark-api → Kubernetes API", arkApi, kubernetesApi, 443],
      ["ark-api → NATS", arkApi, natsPod, 4222],
      ["ark-api → postgres-memory (sessions)", arkApi, memory, 8002],
      ["ark-mcp → NATS", arkMcp, natsPod, 4222],
      ["postgres-memory → PostgreSQL", memory, postgresPod, 5432],
      ["ark-apiserver → PostgreSQL", apiserver, postgresPod, 5432],
      ["ark-api → DNS", arkApi, kubeDns, 53, "UDP"],
      ["filesys-mcp → DNS", filesys, kubeDns, 53, "UDP"],
      ["reconciler → evaluator-llm", reconciler, evaluator, 8001],
      ["worker → evaluator-llm", worker, evaluator, 8001],
      ["evaluator-llm → Kubernetes API", evaluator, kubernetesApi, 443],
      ["evaluator-llm → ark-apiserver", evaluator, apiserver, 6443],
      ["evaluator-llm → NATS", evaluator, natsPod, 4222],
      ["evaluator-llm → judge model", evaluator, modelProvider, 443],
    ];
    expect(flows.filter(([, from, to, port, protocol]) => !can(from, to, port, protocol)).map(([name]) => name)).toEqual([]);
  });

  it("refuse what no service needs: tenants into ARK's internals, services to what they never call, metadata addresses", () => {
    const refused: [string, Endpoint, Endpoint, number][] = [
      ["tenant pod → postgres-memory", tenantPod, memory, 8002],
      ["tenant pod → executor-langchain", tenantPod, executor, 8003],
      ["tenant pod → filesys-mcp", tenantPod, filesys, 9090],
      ["tenant pod → worker", tenantPod, worker, 8081],
      ["tenant pod → reconciler", tenantPod, reconciler, 8081],
      ["user → postgres-memory", user, memory, 8002],
      ["ark-api → executor-langchain", arkApi, executor, 8003],
      ["ark-api → filesys-mcp", arkApi, filesys, 9090],
      ["ark-mcp → filesys-mcp", arkMcp, filesys, 9090],
      ["filesys-mcp → model provider", filesys, modelProvider, 443],
      ["filesys-mcp → Kubernetes API", filesys, kubernetesApi, 443],
      ["postgres-memory → Kubernetes API", memory, kubernetesApi, 443],
      ["ark-api → model provider (port 80)", arkApi, modelProvider, 80],
      ["worker → cloud metadata", worker, metadata, 80],
      ["worker → Azure wire server", worker, azureWireServer, 80],
      ["reconciler → cloud metadata", reconciler, metadata, 80],
      ["tenant pod → evaluator-llm", tenantPod, evaluator, 8001],
      ["user → evaluator-llm", user, evaluator, 8001],
      ["evaluator-llm → cloud metadata", evaluator, metadata, 80],
      ["evaluator-llm → postgres-memory", evaluator, memory, 8002],
    ];
    expect(refused.filter(([, from, to, port]) => can(from, to, port)).map(([name]) => name)).toEqual([]);
  });

  it("narrow who may come in with publicFrom, and scrape metrics only from metricsFrom", () => {
    const ingressNs = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } };
    const narrowed = policiesOf({
      ...SCENARIOS.everything,
      global: { networkPolicy: { publicFrom: [ingressNs], metricsFrom: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }] } },
    });
    const ingressController: Endpoint = { namespace: "ingress", labels: { app: "nginx" } };
    const prometheus: Endpoint = { namespace: "monitoring", labels: { app: "prometheus" } };
    expect(allowed(narrowed, user, arkApi, 8000)).toBe(false);
    expect(allowed(narrowed, ingressController, arkApi, 8000)).toBe(true);
    expect(allowed(narrowed, prometheus, worker, 8081)).toBe(true);
    expect(allowed(narrowed, tenantPod, worker, 8081)).toBe(false);
  });

  it("switch off with global.networkPolicy.enabled, or deny only ARK's pods with denyAllInNamespace: false", () => {
    expect(policiesOf({ global: { networkPolicy: { enabled: false } } })).toEqual([]);
    expect(policiesOf(SCENARIOS.nothing!)).toEqual([]);
    const arkOnly = policiesOf({ global: { networkPolicy: { denyAllInNamespace: false } } });
    expect(arkOnly.find((p) => p.metadata.name === "ark-default-deny")!.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/part-of": "ark", "app.kubernetes.io/instance": "ark" } });
    expect(allowed(arkOnly, strangerInArkNamespace, modelProvider, 443)).toBe(true);
    expect(allowed(arkOnly, tenantPod, memory, 8002)).toBe(false);
  });
});
