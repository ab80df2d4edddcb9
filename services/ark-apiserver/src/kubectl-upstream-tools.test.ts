import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { testPostgres } from "@ark/testing/vitest";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { expectOk, useKubectlSuite } from "./test-support/kubectl.js";

const NS = "upstream-tools";

// Agent and Tool manifests written the way upstream's current documentation shows them (docs/upstream-compat.md §7).
const upstreamManifests = `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: get-weather}
spec:
  type: http
  description: Weather for a city on a day
  inputSchema:
    type: object
    properties: {city: {type: string}, day: {type: string}}
    required: [city, day]
  annotations: {readOnlyHint: true, openWorldHint: true, title: Weather}
  http: {url: "https://weather.example/v1/{city}?day={day}", method: GET}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: ask-researcher}
spec:
  type: agent
  description: Ask the researcher a question
  agent: {name: researcher}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: ask-writers}
spec:
  type: team
  description: Have the writers draft a text
  team: {name: writers}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: noop}
spec:
  type: builtin
  description: Does nothing
  builtin: {name: noop}
---
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: {name: coordinator}
spec:
  prompt: You coordinate.
  tools:
    - {type: builtin, name: noop}
    - {type: built-in, name: terminate}
    - type: http
      name: chicago-weather
      description: Today's weather in Chicago
      partial:
        name: get-weather
        parameters:
          - {name: city, value: Chicago}
          - {name: day, value: "{{.Query.day}}"}
      functions:
        - {name: jq, valueFrom: {configMapKeyRef: {name: filters, key: weather}}}
    - {type: agent, name: ask-researcher, description: Ask the research agent}
    - {type: team, name: ask-writers}
    - {type: custom, name: get-weather, functions: [{name: jq, value: .temperature}]}
`;

describe.skipIf(!testPostgres())("kubectl applies upstream's current Agent and Tool manifests", () => {
  const suite = useKubectlSuite("kubectl-upstream-tools", NS);

  it("creates every object and stores every field as written", async () => {
    const file = join(suite.tmp, "upstream.yaml");
    await writeFile(file, upstreamManifests);
    const out = expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]));
    expect(out.trim().split("\n").sort()).toEqual([
      "agent.ark.mckinsey.com/coordinator created",
      "tool.ark.mckinsey.com/ask-researcher created",
      "tool.ark.mckinsey.com/ask-writers created",
      "tool.ark.mckinsey.com/get-weather created",
      "tool.ark.mckinsey.com/noop created",
    ]);
    for (const doc of parseAllDocuments(upstreamManifests).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: object })) {
      const stored = parse(expectOk(await suite.kubectl(["get", doc.kind.toLowerCase(), doc.metadata.name, "-n", NS, "-o", "yaml"]))) as { spec: object };
      expect(stored.spec, `${doc.kind}/${doc.metadata.name}`).toMatchObject(doc.spec);
    }
    expect(
      expectOk(await suite.kubectl(["apply", "-n", NS, "-f", file]))
        .trim()
        .split("\n")
        .every((line) => line.endsWith(" unchanged")),
    ).toBe(true);
  });

  it("explains the new fields", async () => {
    const partial = expectOk(await suite.kubectl(["explain", "agent.spec.tools.partial"]));
    expect(partial).toMatch(/parameters\s+<\[\]Object>/);
    expect(partial).toMatch(/hidden from the model/);
    const tool = expectOk(await suite.kubectl(["explain", "tool.spec"]));
    expect(tool).toMatch(/agent\s+<Object>/);
    expect(tool).toMatch(/team\s+<Object>/);
    expect(tool).toMatch(/builtin\s+<Object>/);
  });

  it("refuses a bad entry naming the field", async () => {
    const bad = async (yaml: string) => {
      const file = join(suite.tmp, "bad.yaml");
      await writeFile(file, yaml);
      const result = await suite.kubectl(["apply", "-n", NS, "-f", file]);
      expect(result.code).toBe(1);
      return result.stderr;
    };
    expect(
      await bad(`apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: {name: broken}
spec: {tools: [{type: agent, description: no name}]}
`),
    ).toContain("spec.tools[0].name: Required value: tool[0]: agent tools must specify a name");
    expect(
      await bad(`apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: {name: broken}
spec: {tools: [{type: http, name: w, partial: {name: get-weather, parameters: [{name: city}]}}]}
`),
    ).toContain("spec.tools[0].partial.parameters[0]: Required value");
    expect(
      await bad(`apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: broken}
spec: {type: team, description: no team}
`),
    ).toContain("spec.team: Required value: team spec is required for team type");
  });
});
