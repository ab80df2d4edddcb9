import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { kubectlFor, type KubectlResult } from "./test-support/kubectl.js";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

const NS = "team-a";
const BOT = `system:serviceaccount:${NS}:bot`;

const ok = (result: KubectlResult): string => {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
};

describe.skipIf(!testPostgres())("kubectl create role|rolebinding|token and kubectl auth against ark-apiserver", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;
  let kubectl: ReturnType<typeof kubectlFor>;
  /** kubectl with the bot ServiceAccount's token instead of the admin token. */
  let asBot: ReturnType<typeof kubectlFor>;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "kubectl-auth" });
    tmp = await mkdtemp(join(tmpdir(), "ark-kubectl-auth-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: join(tmp, "ark") });
    kubectl = kubectlFor(server.kubeconfigPath, join(tmp, "cache"));
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("creates a ServiceAccount, a Role and a RoleBinding with kubectl's imperative commands (protobuf bodies)", async () => {
    expect(ok(await kubectl(["create", "namespace", NS]))).toBe(`namespace/${NS} created\n`);
    expect(ok(await kubectl(["create", "serviceaccount", "bot", "-n", NS]))).toBe("serviceaccount/bot created\n");
    expect(ok(await kubectl(["create", "role", "agent-reader", "-n", NS, "--verb=get,list", "--resource=agents.ark.mckinsey.com"]))).toBe("role.rbac.authorization.k8s.io/agent-reader created\n");
    expect(ok(await kubectl(["create", "rolebinding", "bot-reads-agents", "-n", NS, "--role=agent-reader", `--serviceaccount=${NS}:bot`]))).toBe("rolebinding.rbac.authorization.k8s.io/bot-reads-agents created\n");
    expect(ok(await kubectl(["create", "clusterrolebinding", "viewer-views", "--clusterrole=view", `--serviceaccount=${NS}:viewer`]))).toBe("clusterrolebinding.rbac.authorization.k8s.io/viewer-views created\n");
    expect(ok(await kubectl(["get", "roles", "-n", NS]))).toMatch(/^NAME\s+CREATED AT\nagent-reader\s+\d{4}-\d\d-\d\dT/);
    expect(ok(await kubectl(["get", "rolebindings", "-n", NS]))).toMatch(/^NAME\s+ROLE\s+AGE\nbot-reads-agents\s+Role\/agent-reader\s+\d+s\n$/);
    expect(ok(await kubectl(["get", "clusterroles", "cluster-admin", "view"]))).toMatch(/cluster-admin[\s\S]*view/);
    expect(ok(await kubectl(["get", "sa", "-n", NS]))).toMatch(/^NAME\s+SECRETS\s+AGE\nbot\s+\d*\s+\d+s\n$/);
    const role = parse(ok(await kubectl(["get", "role", "agent-reader", "-n", NS, "-o", "yaml"])));
    expect(role.rules).toEqual([{ apiGroups: ["ark.mckinsey.com"], resources: ["agents"], verbs: ["get", "list"] }]);
  });

  it("applies RBAC manifests, and applies them again changed (strategic merge patch)", async () => {
    const manifest = (verbs: string[]) => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: query-runner}
rules:
- apiGroups: [ark.mckinsey.com]
  resources: [queries]
  verbs: [${verbs.join(", ")}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runners, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: query-runner}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: alice}]
`;
    expect(ok(await kubectl(["apply", "-f", "-"], manifest(["get"])))).toBe("clusterrole.rbac.authorization.k8s.io/query-runner created\nrolebinding.rbac.authorization.k8s.io/runners created\n");
    expect(ok(await kubectl(["apply", "-f", "-"], manifest(["get", "create"])))).toBe("clusterrole.rbac.authorization.k8s.io/query-runner configured\nrolebinding.rbac.authorization.k8s.io/runners unchanged\n");
    expect(await kubectl(["auth", "can-i", "create", "queries", "-n", NS, "--as=alice"])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await kubectl(["auth", "can-i", "create", "queries", "-n", "default", "--as=alice"])).toMatchObject({ code: 1, stdout: "no\n" });
    const invalid = await kubectl(["apply", "-f", "-"], manifest([]).split("---")[0]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("rules[0].verbs: Required value");
  });

  it("mints a token with kubectl create token; kubectl with it is the ServiceAccount", async () => {
    const token = ok(await kubectl(["create", "token", "bot", "-n", NS, "--duration=15m"])).trim();
    expect(token.split(".")).toHaveLength(3);
    const config = parse(await readFile(server.kubeconfigPath, "utf8"));
    for (const user of config.users) user.user = { token };
    const botConfig = join(tmp, "bot-kubeconfig");
    await writeFile(botConfig, stringify(config), { mode: 0o600 });
    asBot = kubectlFor(botConfig, join(tmp, "bot-cache"));
    expect(ok(await asBot(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]))).toBe(BOT);
  });

  it("kubectl auth can-i agrees with what the token can do, and a real request without the right is 403", async () => {
    expect(await asBot(["auth", "can-i", "get", "agents", "-n", NS])).toEqual({ code: 0, stdout: "yes\n", stderr: "" });
    expect(await asBot(["auth", "can-i", "get", "secrets", "-n", NS])).toEqual({ code: 1, stdout: "no\n", stderr: "" });
    expect(await asBot(["auth", "can-i", "create", "agents", "-n", NS])).toEqual({ code: 1, stdout: "no\n", stderr: "" });
    // Its Role holds in its namespace only.
    expect(await asBot(["auth", "can-i", "list", "agents", "-n", "default"])).toEqual({ code: 1, stdout: "no\n", stderr: "" });

    const secrets = await asBot(["get", "secrets", "-n", NS]);
    expect(secrets.code).toBe(1);
    expect(secrets.stderr).toBe(`Error from server (Forbidden): secrets is forbidden: User "${BOT}" cannot list resource "secrets" in API group "" in the namespace "${NS}"\n`);
    expect(await asBot(["get", "agents", "-n", NS])).toEqual({ code: 0, stdout: "", stderr: `No resources found in ${NS} namespace.\n` });

    const list = ok(await asBot(["auth", "can-i", "--list", "-n", NS]));
    expect(list).toMatch(/agents\.ark\.mckinsey\.com\s+\[\]\s+\[\]\s+\[get list\]/);
    expect(list).not.toMatch(/^secrets/m);
  });

  it("answers can-i for others through impersonation, which only the admin may use", async () => {
    expect(await kubectl(["auth", "can-i", "get", "secrets", "-n", NS, `--as=${BOT}`])).toMatchObject({ code: 1, stdout: "no\n" });
    expect(await kubectl(["auth", "can-i", "get", "agents", "-n", NS, `--as=${BOT}`])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(ok(await kubectl(["auth", "can-i", "*", "*"]))).toBe("yes\n");
    // view, bound cluster-wide, reads ARK kinds in every namespace but never Secrets.
    const viewer = `--as=system:serviceaccount:${NS}:viewer`;
    expect(await kubectl(["auth", "can-i", "list", "queries", "-n", "default", viewer])).toMatchObject({ code: 0, stdout: "yes\n" });
    expect(await kubectl(["auth", "can-i", "get", "secrets", "-n", "default", viewer])).toMatchObject({ code: 1, stdout: "no\n" });
    const impersonating = await asBot(["get", "secrets", "-n", NS, "--as=ark-admin", "--as-group=system:masters"]);
    expect(impersonating.code).toBe(1);
    expect(impersonating.stderr).toContain(`users "ark-admin" is forbidden: User "${BOT}" cannot impersonate resource "users" in API group "" at the cluster scope`);
  });
});
