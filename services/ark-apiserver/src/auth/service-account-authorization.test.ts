import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApiServerForTest, useApiServerSuite, type TestApiServer } from "../test-support/api-server.js";

interface Reply {
  status: number;
  body: Record<string, any>;
}

const NS = "team-a";

describe.skipIf(!testPostgres())("ServiceAccount tokens and RBAC authorization", () => {
  const suite = useApiServerSuite("authz");

  /** One HTTPS call to the server (TLS verified against its CA) with a bearer token and extra headers. */
  function call(method: string, path: string, token: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const url = new URL(path, suite.server.url);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: suite.server.caPem,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload ? { "content-type": "application/json" } : {}),
            ...options.headers,
          },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, any>) : {} }));
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }
  const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => call(method, path, suite.server.token, { body, ...(headers ? { headers } : {}) });

  async function created(reply: Promise<Reply>): Promise<Record<string, any>> {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  const rbac = "/apis/rbac.authorization.k8s.io/v1";
  const agentsIn = (ns: string) => `/apis/ark.mckinsey.com/v1alpha1/namespaces/${ns}/agents`;
  const agent = (name: string) => ({
    apiVersion: "ark.mckinsey.com/v1alpha1",
    kind: "Agent",
    metadata: { name },
    spec: { prompt: "You help.", modelRef: { name: "default" } },
  });

  /** A ServiceAccount in NS bound to a Role with `rules`, and a token of it. */
  async function serviceAccountWith(name: string, rules: unknown[]): Promise<{ token: string; uid: string }> {
    const sa = await created(admin("POST", `/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name } }));
    await created(admin("POST", `${rbac}/namespaces/${NS}/roles`, { metadata: { name }, rules }));
    await created(
      admin("POST", `${rbac}/namespaces/${NS}/rolebindings`, {
        metadata: { name },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
        subjects: [{ kind: "ServiceAccount", name }],
      }),
    );
    const tokenRequest = await created(admin("POST", `/api/v1/namespaces/${NS}/serviceaccounts/${name}/token`, { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: {} }));
    expect(tokenRequest.status.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    return { token: tokenRequest.status.token as string, uid: sa.metadata.uid as string };
  }

  it("seeds the default cluster roles and answers the bootstrap token as ark-admin in system:masters", async () => {
    await created(admin("POST", "/api/v1/namespaces", { metadata: { name: NS } }));
    const roles = await admin("GET", `${rbac}/clusterroles`);
    expect(roles.body.items.map((r: any) => r.metadata.name)).toEqual(expect.arrayContaining(["cluster-admin", "admin", "edit", "view", "system:discovery"]));
    const view = roles.body.items.find((r: any) => r.metadata.name === "view");
    expect(view.rules[0]).toMatchObject({ apiGroups: ["ark.mckinsey.com"], resources: expect.arrayContaining(["agents", "queries", "queries/status"]) });
    const whoami = await created(admin("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }));
    expect(whoami.status.userInfo).toEqual({ username: "ark-admin", groups: ["system:masters", "system:authenticated"] });
  });

  it("gives a service token what its role grants and nothing else (403 worded as Kubernetes)", async () => {
    const { token } = await serviceAccountWith("reader", [{ verbs: ["get", "list"], apiGroups: ["ark.mckinsey.com"], resources: ["agents"] }]);
    await created(admin("POST", agentsIn(NS), agent("helper")));
    await created(admin("POST", `/api/v1/namespaces/${NS}/secrets`, { metadata: { name: "model-key" }, stringData: { token: "sk-secret" } }));

    expect((await call("GET", `${agentsIn(NS)}/helper`, token)).status).toBe(200);
    expect((await call("GET", agentsIn(NS), token)).body.items.map((a: any) => a.metadata.name)).toEqual(["helper"]);

    const secret = await call("GET", `/api/v1/namespaces/${NS}/secrets/model-key`, token);
    expect(secret.status).toBe(403);
    expect(secret.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `secrets "model-key" is forbidden: User "system:serviceaccount:${NS}:reader" cannot get resource "secrets" in API group "" in the namespace "${NS}"`,
      reason: "Forbidden",
      details: { name: "model-key", kind: "secrets" },
      code: 403,
    });
    const allSecrets = await call("GET", "/api/v1/secrets", token);
    expect(allSecrets.status).toBe(403);
    expect(allSecrets.body.message).toBe(`secrets is forbidden: User "system:serviceaccount:${NS}:reader" cannot list resource "secrets" in API group "" at the cluster scope`);
    // Its role is for namespace team-a only, and for reading only.
    expect((await call("GET", agentsIn("default"), token)).status).toBe(403);
    const write = await call("POST", agentsIn(NS), token, { body: agent("sneaky") });
    expect(write.status).toBe(403);
    expect(write.body.message).toBe(`agents.ark.mckinsey.com is forbidden: User "system:serviceaccount:${NS}:reader" cannot create resource "agents" in API group "ark.mckinsey.com" in the namespace "${NS}"`);
    const status = await call("PATCH", `${agentsIn(NS)}/helper/status`, token, { body: { status: {} }, headers: { "content-type": "application/merge-patch+json" } });
    expect(status.body.message).toContain('cannot patch resource "agents/status"');
    // Discovery is open to every authenticated caller (system:discovery).
    expect((await call("GET", "/apis", token)).status).toBe(200);
    expect((await call("GET", "/version", token)).status).toBe(200);
  });

  it("answers access reviews for the caller and, for admins, for anyone", async () => {
    const { token } = await serviceAccountWith("checker", [{ verbs: ["get"], apiGroups: ["ark.mckinsey.com"], resources: ["agents"] }]);
    const review = (resource: string, group: string) => ({
      apiVersion: "authorization.k8s.io/v1",
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { namespace: NS, verb: "get", group, resource } },
    });
    const ssar = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    expect((await created(call("POST", ssar, token, { body: review("agents", "ark.mckinsey.com") }))).status).toEqual({ allowed: true });
    expect((await created(call("POST", ssar, token, { body: review("secrets", "") }))).status).toEqual({ allowed: false });
    const sar = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user: `system:serviceaccount:${NS}:checker`, groups: ["system:authenticated"], resourceAttributes: { namespace: NS, verb: "get", group: "ark.mckinsey.com", resource: "agents" } },
    };
    expect((await created(admin("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar))).status).toEqual({ allowed: true });
    // A service may not ask about others.
    expect((await call("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", token, { body: sar })).status).toBe(403);
    const rules = await created(call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", token, { body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectRulesReview", spec: { namespace: NS } } }));
    expect(rules.status.resourceRules).toContainEqual({ verbs: ["get"], apiGroups: ["ark.mckinsey.com"], resources: ["agents"] });
  });

  it("refuses an expired token with 401", async () => {
    const { uid } = await serviceAccountWith("short-lived", [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }]);
    const { token } = suite.server.server.context.access.tokens.issue({ namespace: NS, name: "short-lived", uid }, { expirationSeconds: 1 });
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token);
    expect(expired).toEqual({ status: 401, body: { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 } });
  });

  it("refuses the token of a deleted ServiceAccount, even once one with the same name exists again", async () => {
    const { token } = await serviceAccountWith("temp", [{ verbs: ["list"], apiGroups: [""], resources: ["configmaps"] }]);
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(200);
    expect((await admin("DELETE", `/api/v1/namespaces/${NS}/serviceaccounts/temp`)).status).toBe(200);
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(401);
    await created(admin("POST", `/api/v1/namespaces/${NS}/serviceaccounts`, { metadata: { name: "temp" } }));
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(401);
  });

  it("refuses forged, tampered and foreign-audience tokens", async () => {
    const { token } = await serviceAccountWith("forged", [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
    const [header, claims, signature] = token.split(".") as [string, string, string];
    const decoded = JSON.parse(Buffer.from(claims, "base64url").toString());
    const raised = Buffer.from(JSON.stringify({ ...decoded, exp: decoded.exp + 3600 })).toString("base64url");
    const none = Buffer.from(JSON.stringify({ alg: "none", kid: JSON.parse(Buffer.from(header, "base64url").toString()).kid })).toString("base64url");
    for (const bad of [`${header}.${raised}.${signature}`, `${none}.${claims}.`, `${header}.${claims}.${signature.slice(0, -4)}AAAA`, "not-a-token"]) {
      expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, bad)).status).toBe(401);
    }
    const vault = await created(admin("POST", `/api/v1/namespaces/${NS}/serviceaccounts/forged/token`, { spec: { audiences: ["vault"], expirationSeconds: 600 } }));
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, vault.status.token)).status).toBe(401);
    const tooShort = await admin("POST", `/api/v1/namespaces/${NS}/serviceaccounts/forged/token`, { spec: { expirationSeconds: 10 } });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.message).toContain("spec.expirationSeconds: Invalid value: 10: may not specify a duration less than 10 minutes");
  });

  it("honours impersonation only for callers allowed to impersonate", async () => {
    const { token } = await serviceAccountWith("plain", [{ verbs: ["get", "list"], apiGroups: [""], resources: ["secrets", "configmaps"] }]);
    const asAdmin = { "impersonate-user": "ark-admin", "impersonate-group": "system:masters" };
    const refused = await call("GET", "/api/v1/secrets", token, { headers: asAdmin });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(`users "ark-admin" is forbidden: User "system:serviceaccount:${NS}:plain" cannot impersonate resource "users" in API group "" at the cluster scope`);
    // The admin may impersonate; the request then runs with the impersonated identity's rights only.
    await serviceAccountWith("runner", [{ verbs: ["get"], apiGroups: ["ark.mckinsey.com"], resources: ["agents"] }]);
    const asRunner = { "impersonate-user": `system:serviceaccount:${NS}:runner` };
    expect((await admin("GET", `${agentsIn(NS)}/helper`, undefined, asRunner)).status).toBe(200);
    const denied = await admin("GET", `/api/v1/namespaces/${NS}/secrets`, undefined, asRunner);
    expect(denied.body.message).toBe(`secrets is forbidden: User "system:serviceaccount:${NS}:runner" cannot list resource "secrets" in API group "" in the namespace "${NS}"`);
    // A service allowed to impersonate one ServiceAccount (as the controller does for a query's) may do just that.
    const controller = await serviceAccountWith("controller", [{ verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"], resourceNames: ["runner"] }]);
    expect((await call("GET", `${agentsIn(NS)}/helper`, controller.token, { headers: asRunner })).status).toBe(200);
    const other = await call("GET", `${agentsIn(NS)}/helper`, controller.token, { headers: { "impersonate-user": `system:serviceaccount:${NS}:plain` } });
    expect(other.status).toBe(403);
    expect(other.body.message).toContain('cannot impersonate resource "serviceaccounts" in API group "" in the namespace "team-a"');
  });

  it("refuses a role or binding that grants more than its writer holds", async () => {
    const { token } = await serviceAccountWith("binder", [
      { verbs: ["create"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"] },
      { verbs: ["get"], apiGroups: [""], resources: ["configmaps"] },
    ]);
    const toClusterAdmin = {
      metadata: { name: "escalate" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: "binder" }],
    };
    const bind = await call("POST", `${rbac}/namespaces/${NS}/rolebindings`, token, { body: toClusterAdmin });
    expect(bind.status).toBe(403);
    expect(bind.body.message).toContain("is attempting to grant RBAC permissions not currently held");
    const wider = await call("POST", `${rbac}/namespaces/${NS}/roles`, token, { body: { metadata: { name: "wider" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }] } });
    expect(wider.status).toBe(403);
    const same = await call("POST", `${rbac}/namespaces/${NS}/roles`, token, { body: { metadata: { name: "same" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }] } });
    expect(same.status).toBe(201);
    // Allowed to `bind` one ClusterRole by name, it may bind that one only.
    await created(
      admin("POST", `${rbac}/namespaces/${NS}/roles`, {
        metadata: { name: "may-bind-view" },
        rules: [{ verbs: ["bind"], apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], resourceNames: ["view"] }],
      }),
    );
    await created(
      admin("POST", `${rbac}/namespaces/${NS}/rolebindings`, {
        metadata: { name: "binder-may-bind-view" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "may-bind-view" },
        subjects: [{ kind: "ServiceAccount", name: "binder" }],
      }),
    );
    const toView = { ...toClusterAdmin, metadata: { name: "view-for-binder" }, roleRef: { ...toClusterAdmin.roleRef, name: "view" } };
    expect((await call("POST", `${rbac}/namespaces/${NS}/rolebindings`, token, { body: toView })).status).toBe(201);
    expect((await call("POST", `${rbac}/namespaces/${NS}/rolebindings`, token, { body: toClusterAdmin })).status).toBe(403);
  });

  it("takes a right away as soon as its binding is deleted", async () => {
    const { token } = await serviceAccountWith("revoked", [{ verbs: ["list"], apiGroups: [""], resources: ["configmaps"] }]);
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(200);
    expect((await admin("DELETE", `${rbac}/namespaces/${NS}/rolebindings/revoked`)).status).toBe(200);
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps`, token)).status).toBe(403);
  });

  it("mints a least-privilege identity for a service from rules given as data", async () => {
    const { ensureServiceIdentity } = await import("../server.js");
    const identity = await ensureServiceIdentity(suite.server, {
      namespace: "ark-system",
      name: "memory",
      clusterRules: [{ verbs: ["get", "list", "watch"], apiGroups: ["ark.mckinsey.com"], resources: ["memories"] }],
      namespaceRules: { [NS]: [{ verbs: ["get"], apiGroups: [""], resources: ["configmaps"] }] },
    });
    expect(identity.username).toBe("system:serviceaccount:ark-system:memory");
    expect((await call("GET", "/apis/ark.mckinsey.com/v1alpha1/memories", identity.token)).status).toBe(200);
    expect((await call("GET", `/api/v1/namespaces/${NS}/configmaps/none`, identity.token)).status).toBe(404);
    expect((await call("GET", "/api/v1/configmaps", identity.token)).status).toBe(403);
    expect((await call("GET", `/api/v1/namespaces/${NS}/secrets`, identity.token)).status).toBe(403);
    // Ensured again with fewer rules: the role shrinks.
    const again = await ensureServiceIdentity(suite.server, { namespace: "ark-system", name: "memory", clusterRules: [] });
    expect((await call("GET", "/apis/ark.mckinsey.com/v1alpha1/memories", again.token)).status).toBe(403);
  });
});

describe.skipIf(!testPostgres())("ServiceAccount tokens over the Unix socket", () => {
  let db: TestDatabase;
  let home: string;
  let server: TestApiServer;
  beforeAll(async () => {
    db = await createTestDatabase({ label: "authz-socket" });
    home = await mkdtemp(join(tmpdir(), "ark-authz-sock-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: home, env: { ARK_APISERVER_SOCKET: join(home, "api.sock") } });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  function getOverSocket(path: string, token?: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request({ socketPath: server.socketPath!, path, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end();
    });
  }

  it("authenticates and authorizes the socket's requests as the HTTPS port's", async () => {
    const { ensureServiceIdentity } = await import("../server.js");
    const identity = await ensureServiceIdentity(server, {
      namespace: "default",
      name: "socket-user",
      namespaceRules: { default: [{ verbs: ["list"], apiGroups: [""], resources: ["configmaps"] }] },
    });
    expect(await getOverSocket("/api/v1/namespaces/default/configmaps", identity.token)).toBe(200);
    expect(await getOverSocket("/api/v1/namespaces/default/secrets", identity.token)).toBe(403);
    expect(await getOverSocket("/api/v1/namespaces/default/secrets")).toBe(401);
    expect(await getOverSocket("/api/v1/namespaces/default/secrets", server.token)).toBe(200);
  });
});
