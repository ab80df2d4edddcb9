import { describe, expect, it } from "vitest";
import { renderArk, SCENARIOS, SERVICES, serviceOf, type ServiceName } from "./ark-charts.js";
import type { Manifest } from "./chart/manifests.js";
import { envProblems } from "./checks.js";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  securityContext: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Deployment extends Manifest {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; securityContext: Record<string, unknown>; containers: Container[] } };
  };
}

const manifests = renderArk(SCENARIOS.everything);
const byKind = <T extends Manifest>(kind: string) => manifests.filter((m) => m.kind === kind) as T[];
const deployments = byKind<Deployment>("Deployment");
const find = <T extends Manifest>(kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name) as T | undefined;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(deployments.map((d) => [d.metadata.name, d] as const))("Deployment %s", (_name, deployment) => {
  const service = serviceOf(deployment) as ServiceName;
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;

  it("runs as non-root, read-only, with every capability dropped and no privilege escalation", () => {
    expect(pod.containers).toHaveLength(1);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container!.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
  });

  it("runs the service's image on its port (docs/architecture.md §6) with /health and /ready probes", () => {
    expect(container!.image).toMatch(new RegExp(`^ark/${service}:0\\.1\\.0$`));
    expect(container!.ports).toEqual([{ name: "http", containerPort: SERVICES[service].port, protocol: "TCP" }]);
    expect(container!.livenessProbe.httpGet).toMatchObject({ path: "/health", port: "http" });
    expect(container!.readinessProbe.httpGet).toMatchObject({ path: "/ready", port: "http" });
    expect(container!.resources.requests).toBeDefined();
  });

  it("sets only variables the service reads, and values its config schema accepts", () => {
    const { env, problems } = envProblems(deployment);
    expect(problems).toEqual([]);
    expect(env).toMatchObject({ HOST: "0.0.0.0", PORT: String(SERVICES[service].port) });
  });

  it("selects its own pods, under a ServiceAccount the chart creates", () => {
    expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true);
    const others = deployments.filter((d) => d !== deployment);
    for (const other of others) expect(matches(deployment.spec.selector.matchLabels, other.spec.template.metadata.labels), other.metadata.name).toBe(false);
    expect(find("ServiceAccount", pod.serviceAccountName)).toBeDefined();
  });
});

describe("Services, HPAs, PDBs and HTTPRoutes point at what exists", () => {
  it("each Service selects pods that have its target port", () => {
    for (const svc of byKind<Manifest & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }>("Service")) {
      const backends = deployments.filter((d) => matches(svc.spec.selector, d.spec.template.metadata.labels));
      expect(backends.length, svc.metadata.name).toBeGreaterThan(0);
      for (const d of backends) expect(d.spec.template.spec.containers[0]!.ports.map((p) => p.name)).toContain(svc.spec.ports[0]!.targetPort);
    }
  });

  it("each HPA scales a Deployment that leaves replicas to it", () => {
    for (const hpa of byKind<Manifest & { spec: { scaleTargetRef: { kind: string; name: string } } }>("HorizontalPodAutoscaler")) {
      const target = find<Deployment>(hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      expect(target, hpa.metadata.name).toBeDefined();
      expect(target!.spec.replicas).toBeUndefined();
    }
  });

  it("each PDB covers exactly one Deployment's pods", () => {
    for (const pdb of byKind<Manifest & { spec: { selector: { matchLabels: Record<string, string> } } }>("PodDisruptionBudget")) {
      expect(deployments.filter((d) => matches(pdb.spec.selector.matchLabels, d.spec.template.metadata.labels)).length, pdb.metadata.name).toBe(1);
    }
  });

  it("each HTTPRoute sends traffic to a Service port of the same name", () => {
    for (const route of byKind<Manifest & { spec: { rules: { backendRefs: { name: string; port: number }[] }[] } }>("HTTPRoute")) {
      const ref = route.spec.rules[0]!.backendRefs[0]!;
      const svc = find<Manifest & { spec: { ports: { port: number }[] } }>("Service", ref.name);
      expect(
        svc?.spec.ports.map((p) => p.port),
        route.metadata.name,
      ).toContain(ref.port);
    }
  });
});

describe("the DNS-rebinding guard (ALLOWED_HOSTS)", () => {
  const allowedHosts = (deployment: Deployment) => deployment.spec.template.spec.containers[0]!.env.find((e) => e.name === "ALLOWED_HOSTS")?.value?.split(",") ?? [];

  it("lets in each Service's in-cluster names and its HTTPRoute's hostnames", () => {
    for (const service of byKind<Manifest & { spec: { selector: Record<string, string> } }>("Service")) {
      const { name, namespace } = service.metadata;
      for (const deployment of deployments.filter((d) => matches(service.spec.selector, d.spec.template.metadata.labels))) {
        expect(allowedHosts(deployment), `${deployment.metadata.name} behind Service ${name}`).toEqual(expect.arrayContaining([name, `${name}.${namespace}`, `${name}.${namespace}.svc.cluster.local`]));
      }
    }
    for (const route of byKind<Manifest & { spec: { hostnames?: string[]; rules: { backendRefs: { name: string }[] }[] } }>("HTTPRoute")) {
      const target = deployments.find((d) => d.metadata.name === route.spec.rules[0]!.backendRefs[0]!.name);
      expect(target, `HTTPRoute ${route.metadata.name}`).toBeDefined();
      expect(allowedHosts(target!)).toEqual(expect.arrayContaining(route.spec.hostnames ?? []));
    }
  });
});

describe("localhost-gateway", () => {
  it("routes to Services of this release, on their ports", () => {
    const gateway = find<Deployment>("Deployment", "localhost-gateway")!;
    const routes = gateway.spec.template.spec.containers[0]!.env.find((e) => e.name === "GATEWAY_ROUTES")!.value!;
    for (const entry of routes.split(",")) {
      const url = new URL(entry.split("=")[1]!);
      const [name, namespace] = url.hostname.split(".");
      const svc = find<Manifest & { spec: { ports: { port: number }[] } }>("Service", name!);
      expect(svc?.metadata.namespace, entry).toBe(namespace);
      expect(
        svc!.spec.ports.map((p) => p.port),
        entry,
      ).toContain(Number(url.port));
    }
  });
});

describe("the controller: a leader-elected reconciler and scaled workers", () => {
  for (const [scenario, values] of Object.entries(SCENARIOS).filter(([s]) => s !== "nothing")) {
    const all = renderArk(values);
    const get = (kind: string, name: string) => all.find((m) => m.kind === kind && m.metadata.name === name) as (Manifest & { spec: Record<string, unknown> }) | undefined;
    const envOf = (name: string) => Object.fromEntries((get("Deployment", name) as Deployment).spec.template.spec.containers[0]!.env.map((e) => [e.name, e.value ?? e.valueFrom]));

    it(`${scenario}: the reconciler runs with leader election, 2 replicas and a PDB, and has no HPA`, () => {
      expect(envOf("ark-controller-reconciler")).toMatchObject({
        ARK_CONTROLLER_ROLES: "reconciler",
        LEADER_ELECTION: "true",
        LEADER_ELECTION_NAMESPACE: "ark-system",
        POD_NAME: { fieldRef: { fieldPath: "metadata.name" } },
        NATS_URL: "nats://nats:4222",
      });
      expect(get("Deployment", "ark-controller-reconciler")!.spec.replicas).toBeGreaterThanOrEqual(1);
      expect(get("PodDisruptionBudget", "ark-controller-reconciler")!.spec).toMatchObject({ minAvailable: 1 });
      expect(get("HorizontalPodAutoscaler", "ark-controller-reconciler")).toBeUndefined();
    });

    it(`${scenario}: the workers run the worker role only, under an HPA and a PDB`, () => {
      expect(envOf("ark-controller-worker")).toMatchObject({ ARK_CONTROLLER_ROLES: "worker", NATS_URL: "nats://nats:4222" });
      expect(get("HorizontalPodAutoscaler", "ark-controller-worker")!.spec).toMatchObject({ minReplicas: 2, maxReplicas: 20 });
      expect(get("PodDisruptionBudget", "ark-controller-worker")).toBeDefined();
      expect(get("HorizontalPodAutoscaler", "ark-api")).toBeDefined();
    });
  }
});

describe("ark-dashboard's OIDC sign-in, from values", () => {
  const dashboardEnv = (values: Record<string, unknown>) => {
    const deployment = renderArk({ "ark-dashboard": values }).find((m) => m.kind === "Deployment" && m.metadata.name === "ark-dashboard")!;
    return envProblems(deployment);
  };

  it("sets the issuer, client, scope and token the server serves as /config.json, values its config accepts", () => {
    const { env, problems } = dashboardEnv({ oidc: { issuer: "https://login.example.com/realms/ark", clientId: "ark-dashboard", scope: "openid email", token: "id" } });
    expect(problems).toEqual([]);
    expect(env).toMatchObject({ OIDC_ISSUER: "https://login.example.com/realms/ark", OIDC_CLIENT_ID: "ark-dashboard", OIDC_SCOPE: "openid email", OIDC_TOKEN: "id" });
    // Scope and token left empty: the service's defaults (not set).
    const minimal = dashboardEnv({ oidc: { issuer: "https://login.example.com", clientId: "ark-dashboard" } }).env;
    expect(
      Object.keys(minimal)
        .filter((n) => n.startsWith("OIDC_"))
        .sort(),
    ).toEqual(["OIDC_CLIENT_ID", "OIDC_ISSUER"]);
  });

  it("sets nothing by default (API keys only), and stops on an issuer without a client or a client without an issuer", () => {
    expect(Object.keys(dashboardEnv({}).env).filter((n) => n.startsWith("OIDC_"))).toEqual([]);
    expect(() => dashboardEnv({ oidc: { issuer: "https://login.example.com" } })).toThrow(/oidc.clientId is required with oidc.issuer/);
    expect(() => dashboardEnv({ oidc: { clientId: "ark-dashboard" } })).toThrow(/oidc.issuer is required with oidc.clientId/);
  });

  it("refuses a token kind the dashboard does not know (its config schema)", () => {
    expect(dashboardEnv({ oidc: { issuer: "https://login.example.com", clientId: "ark-dashboard", token: "refresh" } }).problems).toEqual([expect.stringMatching(/^OIDC_TOKEN: /)]);
  });
});
