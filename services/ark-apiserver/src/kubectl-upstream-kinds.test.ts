import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { expectOk, useKubectlSuite } from "./test-support/kubectl.js";

const NS = "upstream-kinds";

// Manifests written the way upstream's current types and documentation show them (docs/upstream-compat.md §8, §6.6, §1.5).
const upstreamManifests = `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: {name: gpt-gateway}
spec:
  provider: openai
  type: completions
  model: {value: gpt-4.1-mini}
  pollInterval: 2m
  config:
    openai:
      baseUrl: {value: "https://gateway.example/v1"}
      apiKey: {valueFrom: {secretKeyRef: {name: gateway, key: token}}}
      headers:
        - {name: X-Tenant, value: {value: team-a}}
        - {name: X-Route, value: {valueFrom: {configMapKeyRef: {name: routing, key: route}}}}
        - {name: X-User, value: {valueFrom: {queryParameterRef: {name: user}}}}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: {name: legacy}
spec:
  type: azure
  model: {value: gpt-4.1}
  config:
    azure:
      baseUrl: {value: "https://r.openai.azure.com"}
      apiKey: {value: k}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Team
metadata: {name: panel}
spec:
  strategy: selector
  maxTurns: 10
  members: [{name: researcher, type: agent}, {name: analyst, type: agent}]
  selector:
    agent: planner
    selectorPrompt: "Choose the best agent for: {{.History}}"
    enableTerminateTool: true
    terminatePrompt: Stop once the analyst has answered.
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Team
metadata: {name: workshop}
spec:
  strategy: sequential
  loops: true
  maxTurns: 3
  members: [{name: researcher, type: agent}, {name: analyst, type: agent}]
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: MCPServer
metadata: {name: github}
spec:
  address: {value: "http://github-mcp:8080/mcp"}
  transport: http
  headers:
    - {name: Authorization, value: {valueFrom: {secretKeyRef: {name: github, key: token}}}}
    - {name: X-Org, value: {valueFrom: {configMapKeyRef: {name: github-cfg, key: org}}}}
    - {name: X-User, value: {valueFrom: {queryParameterRef: {name: user}}}}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Memory
metadata: {name: remote}
spec:
  address: {value: "http://memory:8080"}
  headers:
    - {name: X-Tenant, value: {value: team-a}}
    - {name: X-User, value: {valueFrom: {queryParameterRef: {name: user}}}}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: A2ATask
metadata: {name: weather-task}
spec:
  queryRef: {name: q1}
  a2aServerRef: {name: weather}
  agentRef: {name: weather-agent}
  taskId: 0f6c-task
  contextId: ctx-1
  input: Weather in Chicago?
  timeout: 12h
  ttl: 720h
  pollInterval: 5s
`;

describe.skipIf(!testPostgres())("kubectl applies upstream's current Model, Team, MCPServer and Memory manifests", () => {
  const suite = useKubectlSuite("kubectl-upstream-kinds", NS);

  const bad = async (yaml: string): Promise<string> => {
    const file = join(suite.tmp, "bad.yaml");
    await writeFile(file, yaml);
    const result = await suite.kubectl(["apply", "-n", NS, "-f", file]);
    expect(result.code).toBe(1);
    return result.stderr;
  };

  it("creates every object and stores every field as written (the older Model shape included)", async () => {
    const file = join(suite.tmp, "upstream.yaml");
    await writeFile(file, upstreamManifests);
    const docs = parseAllDocuments(upstreamManifests).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: Record<string, unknown> });
    const out = expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]));
    expect(out.trim().split("\n").sort()).toEqual(docs.map((d) => `${d.kind.toLowerCase()}.ark.mckinsey.com/${d.metadata.name} created`).sort());
    for (const doc of docs) {
      const stored = parse(expectOk(await suite.kubectl(["get", doc.kind.toLowerCase(), doc.metadata.name, "-n", NS, "-o", "yaml"]))) as { spec: Record<string, unknown> };
      expect(stored.spec, `${doc.kind}/${doc.metadata.name}`).toMatchObject(doc.spec);
      // What the user did not write is not written back (no provider on the older shape, no type on the newer).
      for (const field of ["provider", "type", "pollInterval"]) if (!(field in doc.spec) && doc.kind === "Model") expect(stored.spec[field]).toBeUndefined();
    }
    expect(
      expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]))
        .trim()
        .split("\n")
        .every((line) => line.endsWith(" unchanged")),
    ).toBe(true);
    const table = expectOk(await suite.kubectl(["get", "models", "-n", NS]));
    expect(table).toMatch(/NAME\s+MODEL\s+PHASE\s+TYPE\s+PROVIDER\s+AGE/);
    expect(table).toMatch(/gpt-gateway\s+gpt-4\.1-mini\s+completions\s+openai/);
  });

  it("explains the new Model fields", async () => {
    const spec = expectOk(await suite.kubectl(["explain", "model.spec"]));
    expect(spec).toMatch(/provider\s+<string>/);
    expect(spec).toMatch(/pollInterval\s+<string>/);
    const headers = expectOk(await suite.kubectl(["explain", "model.spec.config.openai.headers.value.valueFrom"]));
    expect(headers).toMatch(/configMapKeyRef\s+<Object>/);
    expect(headers).toMatch(/queryParameterRef\s+<Object>/);
  });

  it("explains the new Team fields", async () => {
    const selector = expectOk(await suite.kubectl(["explain", "team.spec.selector"]));
    expect(selector).toMatch(/agent\s+<string>/);
    expect(selector).toMatch(/enableTerminateTool\s+<boolean>/);
    expect(selector).toMatch(/terminatePrompt\s+<string>/);
    expect(expectOk(await suite.kubectl(["explain", "team.spec.loops"]))).toMatch(/cycle through the members/);
  });

  it("explains Memory headers and the header sources", async () => {
    expect(expectOk(await suite.kubectl(["explain", "memory.spec"]))).toMatch(/headers\s+<\[\]Object>/);
    const source = expectOk(await suite.kubectl(["explain", "mcpserver.spec.headers.value.valueFrom"]));
    expect(source).toMatch(/configMapKeyRef\s+<Object>/);
    expect(source).toMatch(/queryParameterRef\s+<Object>/);
  });

  it("serves upstream's A2ATask kind with its columns and explains it", async () => {
    const table = expectOk(await suite.kubectl(["get", "a2atasks", "-n", NS]));
    expect(table).toMatch(/NAME\s+QUERY\s+AGENT\s+PHASE\s+AGE/);
    expect(table).toMatch(/weather-task\s+q1\s+weather-agent/);
    const spec = expectOk(await suite.kubectl(["explain", "a2atask.spec"]));
    for (const field of ["queryRef", "a2aServerRef", "agentRef", "taskId", "contextId"]) expect(spec).toContain(field);
    expect(expectOk(await suite.kubectl(["explain", "a2atask.status"]))).toMatch(/protocolState\s+<string>/);
  });

  it("refuses a Model without a provider, or with a type naming another one, naming the field", async () => {
    expect(
      await bad(`apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: {name: broken}
spec: {type: completions, model: {value: m}, config: {openai: {baseUrl: {value: "https://x/v1"}, apiKey: {value: k}}}}
`),
    ).toContain("spec.provider: Required value: spec.provider is required");
    expect(
      await bad(`apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: {name: broken}
spec: {provider: openai, type: bedrock, model: {value: m}, config: {openai: {baseUrl: {value: "https://x/v1"}, apiKey: {value: k}}}}
`),
    ).toContain(`spec.type: Invalid value: "bedrock": spec.type 'bedrock' names a different provider`);
  });
});
