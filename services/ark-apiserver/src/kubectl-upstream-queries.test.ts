import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { expectOk, useKubectlSuite } from "./test-support/kubectl.js";

const NS = "upstream-queries";

// Query and Agent manifests the way upstream's current types allow them (docs/upstream-compat.md §6.2, §6.9, §1.3).
const upstreamManifests = `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: {name: guide}
spec:
  prompt: "You guide visitors of {{.city}}."
  parameters:
    - {name: city, valueFrom: {queryParameterRef: {name: destination}}}
  overrides:
    - resourceType: model
      headers: [{name: X-Agent, value: {value: guide}}]
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: {name: chat}
spec:
  type: messages
  input:
    - {role: system, content: Answer briefly.}
    - {role: user, content: "What is 2+2?"}
    - role: assistant
      tool_calls: [{id: call_1, type: function, function: {name: calc, arguments: '{"expr":"2+2"}'}}]
    - {role: tool, tool_call_id: call_1, content: "4"}
    - role: user
      content: [{type: text, text: "And 3+3?"}]
  target: {type: agent, name: guide}
  parameters: [{name: destination, value: Porto}]
  conversationId: conv-42
  overrides:
    - resourceType: mcpserver
      labelSelector: {matchLabels: {tier: gold}}
      headers: [{name: X-Tenant, value: {valueFrom: {configMapKeyRef: {name: tenants, key: current}}}}]
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: {name: plain}
spec:
  input: Hello
  target: {type: agent, name: guide}
`;

describe.skipIf(!testPostgres())("kubectl applies upstream's current Query manifests", () => {
  const suite = useKubectlSuite("kubectl-upstream-queries", NS);

  it("stores messages input, conversationId, overrides and queryParameterRef as written; an older string query shows no type", async () => {
    const file = join(suite.tmp, "upstream.yaml");
    await writeFile(file, upstreamManifests);
    expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]));
    for (const doc of parseAllDocuments(upstreamManifests).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> })) {
      const stored = parse(expectOk(await suite.kubectl(["get", doc.kind.toLowerCase(), doc.metadata.name, "-n", NS, "-o", "yaml"]))) as { spec: Record<string, unknown> };
      expect(stored.spec, `${doc.kind}/${doc.metadata.name}`).toMatchObject(doc.spec);
      if (doc.kind === "Query") expect(stored.spec.input).toEqual(doc.spec.input);
    }
    const plain = parse(expectOk(await suite.kubectl(["get", "query", "plain", "-n", NS, "-o", "yaml"]))) as { spec: Record<string, unknown> };
    expect(plain.spec.type).toBeUndefined();
    expect(
      expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]))
        .trim()
        .split("\n")
        .every((line) => line.endsWith(" unchanged")),
    ).toBe(true);
  });

  it("explains the new fields", async () => {
    const spec = expectOk(await suite.kubectl(["explain", "query.spec"]));
    expect(spec).toMatch(/conversationId\s+<string>/);
    expect(spec).toMatch(/overrides\s+<\[\]Object>/);
    expect(spec).toMatch(/type\s+<string>/);
    expect(expectOk(await suite.kubectl(["explain", "query.status.response"]))).toMatch(/raw\s+<string>/);
  });

  it("refuses a bad message naming the field", async () => {
    const file = join(suite.tmp, "bad.yaml");
    await writeFile(
      file,
      `apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: {name: broken}
spec:
  type: messages
  input: [{role: user, content: hi}, {role: tool, content: "4"}, {role: user, content: "and?"}]
  target: {type: agent, name: guide}
`,
    );
    const result = await suite.kubectl(["apply", "-n", NS, "-f", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("spec.input[1].tool_call_id: Required value");
  });
});
