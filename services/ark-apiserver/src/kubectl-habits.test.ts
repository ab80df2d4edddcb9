import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, kubectlFor } from "./test-support/kubectl.js";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

// The kubectl habits people bring from Kubernetes, each run with the real kubectl against ark-apiserver.
const NS = "habits";

const agentYaml = (name: string, prompt: string, labels: Record<string, string> = {}) =>
  `apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: ${name}, namespace: ${NS}, labels: ${JSON.stringify(labels)}}\nspec: {prompt: ${JSON.stringify(prompt)}}\n`;
const queryYaml = (name: string, labels: Record<string, string> = {}) =>
  `apiVersion: ark.mckinsey.com/v1alpha1\nkind: Query\nmetadata: {name: ${name}, namespace: ${NS}, labels: ${JSON.stringify(labels)}}\nspec: {input: hi, target: {type: agent, name: a}}\n`;

describe.skipIf(!testPostgres())("kubectl habits against ark-apiserver", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;
  let kubectl: ReturnType<typeof kubectlFor>;
  const file = async (name: string, text: string) => {
    const path = join(tmp, name);
    await writeFile(path, text);
    return path;
  };

  beforeAll(async () => {
    db = await createTestDatabase({ label: "kubectl-habits" });
    tmp = await mkdtemp(join(tmpdir(), "ark-kubectl-habits-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: join(tmp, "ark") });
    kubectl = kubectlFor(server.kubeconfigPath, join(tmp, "cache"));
    expectOk(await kubectl(["create", "namespace", NS]));
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("kubectl wait for a condition and for a jsonpath value", async () => {
    expectOk(await kubectl(["apply", "-f", await file("q-wait.yaml", queryYaml("waited"))]));
    const waiting = kubectl(["wait", "-n", NS, "--for=condition=Completed", "query/waited", "--timeout=20s"]);
    const byPhase = kubectl(["wait", "-n", NS, "--for=jsonpath={.status.phase}=done", "query/waited", "--timeout=20s"]);
    await new Promise((r) => setTimeout(r, 500));
    const status = {
      status: { phase: "done", conditions: [{ type: "Completed", status: "True", reason: "Succeeded", message: "the query finished", lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z") }] },
    };
    expectOk(await kubectl(["patch", "-n", NS, "query/waited", "--subresource=status", "--type=merge", "-p", JSON.stringify(status)]));
    expect(expectOk(await waiting)).toContain("query.ark.mckinsey.com/waited condition met");
    expect(expectOk(await byPhase)).toContain("query.ark.mckinsey.com/waited condition met");
  });

  it("kubectl diff shows what apply would change, exit 1; nothing and exit 0 once applied", async () => {
    const path = await file("diff.yaml", agentYaml("differ", "first"));
    expectOk(await kubectl(["apply", "-f", path]));
    await writeFile(path, agentYaml("differ", "second"));
    const diff = await kubectl(["diff", "-f", path]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toMatch(/^-\s+prompt: first$/m);
    expect(diff.stdout).toMatch(/^\+\s+prompt: second$/m);
    expectOk(await kubectl(["apply", "-f", path]));
    expect(await kubectl(["diff", "-f", path])).toMatchObject({ code: 0, stdout: "" });
  });

  it("server-side apply: a second manager's change to an owned field is a conflict naming it; --force-conflicts takes it over", async () => {
    expectOk(await kubectl(["apply", "--server-side", "--field-manager=alice", "-f", await file("ssa-a.yaml", agentYaml("shared", "alice's"))]));
    const bob = await file("ssa-b.yaml", agentYaml("shared", "bob's"));
    const conflict = await kubectl(["apply", "--server-side", "--field-manager=bob", "-f", bob]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain("conflict");
    expect(conflict.stderr).toContain(".spec.prompt");
    expect(conflict.stderr).toContain("alice");
    expectOk(await kubectl(["apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", bob]));
    expect(expectOk(await kubectl(["get", "-n", NS, "agent/shared", "-o", "jsonpath={.spec.prompt}"]))).toBe("bob's");
    const managers = expectOk(await kubectl(["get", "-n", NS, "agent/shared", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]));
    expect(managers.split(" ")).toContain("bob");
  });

  it("delete --cascade=orphan keeps the dependents and drops their owner reference", async () => {
    expectOk(await kubectl(["apply", "-f", await file("owner.yaml", agentYaml("owner", "o"))]));
    const uid = expectOk(await kubectl(["get", "-n", NS, "agent/owner", "-o", "jsonpath={.metadata.uid}"]));
    const dependent = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n  namespace: ${NS}\n  ownerReferences: [{apiVersion: ark.mckinsey.com/v1alpha1, kind: Agent, name: owner, uid: ${uid}}]\n`;
    expectOk(await kubectl(["apply", "-f", await file("owned.yaml", dependent)]));
    expectOk(await kubectl(["delete", "-n", NS, "agent/owner", "--cascade=orphan"]));
    expect(expectOk(await kubectl(["get", "-n", NS, "configmap/owned", "-o", "jsonpath={.metadata.ownerReferences}"]))).toBe("");
  });

  it("label selectors with in, notin and !key; field selectors on metadata.namespace and a query's status.phase; --chunk-size", async () => {
    const many = [agentYaml("sel-a", "x", { tier: "front", env: "prod" }), agentYaml("sel-b", "x", { tier: "back", env: "prod" }), agentYaml("sel-c", "x", { tier: "data" })].join("---\n");
    expectOk(await kubectl(["apply", "-f", await file("selectors.yaml", many)]));
    const names = async (...args: string[]) =>
      expectOk(await kubectl(["get", "agents", "-n", NS, "-o", "name", ...args]))
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("/")[1])
        .sort();
    expect(await names("-l", "tier in (front,back)")).toEqual(["sel-a", "sel-b"]);
    expect(await names("-l", "tier notin (front,back),tier")).toEqual(["sel-c"]);
    expect(await names("-l", "tier,!env")).toEqual(["sel-c"]);
    expect(await names("--field-selector", `metadata.namespace=${NS}`, "-l", "tier")).toEqual(["sel-a", "sel-b", "sel-c"]);
    expect(await names("-l", "tier", "--chunk-size=1")).toEqual(["sel-a", "sel-b", "sel-c"]);

    expectOk(await kubectl(["apply", "-f", await file("phases.yaml", [queryYaml("q-done"), queryYaml("q-open")].join("---\n"))]));
    expectOk(await kubectl(["patch", "-n", NS, "query/q-done", "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"done"}}']));
    const done = expectOk(await kubectl(["get", "queries", "-n", NS, "--field-selector", "status.phase=done", "-o", "name"]))
      .trim()
      .split("\n");
    expect(done).toContain("query.ark.mckinsey.com/q-done");
    expect(done).not.toContain("query.ark.mckinsey.com/q-open");
  });

  it("events of one object by field selector, and describe of a kind shows its conditions and events", async () => {
    expectOk(await kubectl(["apply", "-f", await file("described.yaml", agentYaml("described", "d"))]));
    const uid = expectOk(await kubectl(["get", "-n", NS, "agent/described", "-o", "jsonpath={.metadata.uid}"]));
    const event = `apiVersion: v1\nkind: Event\nmetadata: {name: described.1, namespace: ${NS}}\ninvolvedObject: {apiVersion: ark.mckinsey.com/v1alpha1, kind: Agent, name: described, namespace: ${NS}, uid: ${uid}}\nreason: Resolved\nmessage: every reference resolves\ntype: Normal\nsource: {component: ark-controller}\n`;
    expectOk(await kubectl(["apply", "-f", await file("event.yaml", event)]));
    const status = { status: { conditions: [{ type: "Available", status: "True", reason: "ReferencesResolved", message: "all good", lastTransitionTime: "2026-01-01T00:00:00Z" }] } };
    expectOk(await kubectl(["patch", "-n", NS, "agent/described", "--subresource=status", "--type=merge", "-p", JSON.stringify(status)]));
    const events = expectOk(await kubectl(["get", "events", "-n", NS, "--field-selector", "involvedObject.name=described"]));
    expect(events).toContain("every reference resolves");
    const described = expectOk(await kubectl(["describe", "-n", NS, "agent/described"]));
    expect(described).toMatch(/Type:\s+Available/);
    expect(described).toMatch(/Events:[\s\S]*Resolved[\s\S]*every reference resolves/);
  });

  it("delete namespace removes everything in it", { timeout: 60_000 }, async () => {
    expectOk(await kubectl(["create", "namespace", "doomed"]));
    const inside = `${agentYaml("inside", "x").replaceAll(NS, "doomed")}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: doomed}\n`;
    expectOk(await kubectl(["apply", "-f", await file("doomed.yaml", inside)]));
    expectOk(await kubectl(["delete", "namespace", "doomed", "--timeout=45s"]));
    const gone = await kubectl(["get", "namespace", "doomed"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("NotFound");
    expect(expectOk(await kubectl(["get", "agents,configmaps", "-n", "doomed", "-o", "name"]))).toBe("");
  });
});
