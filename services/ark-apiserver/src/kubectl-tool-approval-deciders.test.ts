import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kubectlFor } from "./test-support/kubectl.js";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

const NS = "payments";
/** Who may write toolapprovalrequests/status at all (RBAC); spec.approvers then says who may decide. */
const DECIDERS = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: tar-decider}
rules:
- apiGroups: [ark.mckinsey.com]
  resources: [toolapprovalrequests, toolapprovalrequests/status]
  verbs: [get, list, patch, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: tar-deciders}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: tar-decider}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: deciders}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: payments-approver, namespace: ${NS}}
rules: [{apiGroups: [ark.mckinsey.com], resources: [toolapprovalrequests], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: carol-approves, namespace: ${NS}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: payments-approver}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: carol}]
`;

const request = (name: string, extra = "") => `
apiVersion: ark.mckinsey.com/v1alpha1
kind: ToolApprovalRequest
metadata: {name: ${name}, namespace: ${NS}}
spec:
  queryRef: {name: pay-q, namespace: ${NS}}
  toolCalls: [{id: call-1, name: transfer, type: http, arguments: '{"amount": 500}'}]
  approvers: [{user: alice}, {group: treasury}, {role: payments-approver}]
  executionContext: {conversationHistory: W10=, pendingToolCallIndex: 0, agentName: payer, agentNamespace: ${NS}}
${extra}`;

const decision = (by: string, action = "approved", reason?: string) => JSON.stringify({ status: { decision: { action, decidedBy: by, decidedAt: new Date().toISOString(), ...(reason ? { reason } : {}) } } });

// Upstream's way to decide is a status write (docs/upstream-compat.md §7.6); ark-apiserver holds it to spec.approvers
// as ark-api does (docs/architecture.md §3.2).
describe.skipIf(!testPostgres())("kubectl patch --subresource=status decides a ToolApprovalRequest only as one of its approvers", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;
  let kubectl: ReturnType<typeof kubectlFor>;
  const decide = (name: string, as: readonly string[], by = "someone", action = "approved", reason?: string) =>
    kubectl(["patch", "toolapprovalrequest", name, "-n", NS, "--subresource=status", "--type=merge", "-p", decision(by, action, reason), ...as]);
  const decidedBy = async (name: string) => parse((await kubectl(["get", "tar", name, "-n", NS, "-o", "yaml"])).stdout).status?.decision?.decidedBy;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "kubectl-tar-deciders" });
    tmp = await mkdtemp(join(tmpdir(), "ark-kubectl-tar-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: join(tmp, "ark") });
    kubectl = kubectlFor(server.kubeconfigPath, join(tmp, "cache"));
    expect((await kubectl(["create", "namespace", NS])).code).toBe(0);
    expect(await kubectl(["apply", "-f", "-"], DECIDERS)).toMatchObject({ code: 0 });
    for (const name of ["by-user", "by-group", "by-role", "by-service"]) expect(await kubectl(["apply", "-f", "-"], request(name))).toMatchObject({ code: 0 });
    for (const name of ["reject-why", "approve-why"]) expect(await kubectl(["apply", "-f", "-"], request(name, "  reasonRequired: true\n"))).toMatchObject({ code: 0 });
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("refuses a decision by someone RBAC lets write status but who is no approver, naming the approvers", async () => {
    const refused = await decide("by-user", ["--as=bob", "--as-group=deciders"], "bob");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'Error from server (Forbidden): toolapprovalrequests.ark.mckinsey.com "by-user" is forbidden: status.decision: the request may be decided only by its ' +
        'approvers (spec.approvers: user alice, group treasury, role payments-approver); user "bob" is not one\n',
    );
    expect(await decidedBy("by-user")).toBeUndefined();
  });

  it("lets a status write that decides nothing through (the controller's phase, expiry)", async () => {
    const phase = await kubectl(["patch", "tar", "by-user", "-n", NS, "--subresource=status", "--type=merge", "-p", '{"status":{"phase":"pending"}}', "--as=bob", "--as-group=deciders"]);
    expect(phase).toMatchObject({ code: 0, stderr: "" });
  });

  it("takes the decision of the approver named as user, of a member of the named group, and of one bound to the named role", async () => {
    expect(await decide("by-user", ["--as=alice", "--as-group=deciders"], "alice")).toMatchObject({ code: 0, stderr: "" });
    expect(await decidedBy("by-user")).toBe("alice");
    expect(await decide("by-group", ["--as=dave", "--as-group=deciders", "--as-group=treasury"], "dave")).toMatchObject({ code: 0, stderr: "" });
    expect(await decide("by-role", ["--as=carol", "--as-group=deciders"], "carol")).toMatchObject({ code: 0, stderr: "" });
    // Decided once: a second decision, even an approver's, is a conflict.
    expect((await decide("by-user", ["--as=alice", "--as-group=deciders"], "alice")).stderr).toContain("(Conflict)");
  });

  it("takes the decision ARK's services write for their callers (they check the approvers themselves), not a look-alike elsewhere", async () => {
    const lookAlike = await decide("by-service", ["--as=system:serviceaccount:payments:ark-api", "--as-group=deciders"], "apikey:ops(1)");
    expect(lookAlike.stderr).toContain('user "system:serviceaccount:payments:ark-api" is not one');
    expect(await decide("by-service", ["--as=system:serviceaccount:ark-system:ark-api", "--as-group=deciders"], "apikey:ops(1)")).toMatchObject({ code: 0, stderr: "" });
    expect(await decidedBy("by-service")).toBe("apikey:ops(1)");
  });

  it("asks a reason of a rejection when spec.reasonRequired, as ark-api does; an approval needs none (upstream's meaning)", async () => {
    const bare = await decide("reject-why", ["--as=alice", "--as-group=deciders"], "alice", "rejected");
    expect(bare.stderr).toBe('The ToolApprovalRequest "reject-why" is invalid: status.decision.reason: Required value: a rejection needs a reason (spec.reasonRequired)\n');
    expect(await decide("reject-why", ["--as=alice", "--as-group=deciders"], "alice", "rejected", "over the limit")).toMatchObject({ code: 0, stderr: "" });
    expect(await decide("approve-why", ["--as=alice", "--as-group=deciders"], "alice", "approved")).toMatchObject({ code: 0, stderr: "" });
  });
});
