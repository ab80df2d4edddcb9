import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { expectOk, kubectlFor, startKubectl } from "./test-support/kubectl.js";
import { startApiServerForTest, type TestApiServer } from "./test-support/api-server.js";

const NS = "kubectl-e2e";

// Named so that alphabetical order (kubectl's order for a directory) puts dependents before what they use.
const manifests: Record<string, string> = {
  "01-query.yaml": `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Query
metadata: {name: ask}
spec:
  input: "Weather in {{.city}}?"
  parameters: [{name: city, value: Chicago}]
  targets: [{type: team, name: crew}]
`,
  "02-team.yaml": `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Team
metadata: {name: crew}
spec:
  strategy: sequential
  members: [{type: agent, name: weather}]
`,
  "03-agent.yaml": `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Agent
metadata: {name: weather, labels: {tier: front}}
spec:
  prompt: You answer weather questions.
  modelRef: {name: default}
  tools: [{type: custom, name: get-coordinates}]
`,
  "04-tool.yaml": `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Tool
metadata: {name: get-coordinates}
spec:
  type: http
  description: Returns coordinates for a city
  inputSchema: {type: object, properties: {city: {type: string}}, required: [city]}
  http: {url: "https://geocoding-api.open-meteo.com/v1/search?name={city}&count=1", method: GET, timeout: 30s}
`,
  "05-model.yaml": `
apiVersion: ark.mckinsey.com/v1alpha1
kind: Model
metadata: {name: default}
spec:
  type: openai
  model: {value: gpt-4.1-mini}
  config:
    openai:
      baseUrl: {value: "http://127.0.0.1:9/v1"}
      apiKey: {valueFrom: {secretKeyRef: {name: openai, key: token}}}
`,
};

describe.skipIf(!testPostgres())("kubectl against ark-apiserver", () => {
  let db: TestDatabase;
  let tmp: string;
  let server: TestApiServer;
  let kubectl: ReturnType<typeof kubectlFor>;
  let manifestDir: string;
  let kubeconfig: string;
  let cacheDir: string;

  beforeAll(async () => {
    db = await createTestDatabase({ label: "kubectl" });
    tmp = await mkdtemp(join(tmpdir(), "ark-kubectl-"));
    server = await startApiServerForTest({ databaseUrl: db.url, arkHome: join(tmp, "ark") });
    kubeconfig = server.kubeconfigPath;
    cacheDir = join(tmp, "cache");
    kubectl = kubectlFor(kubeconfig, cacheDir);
    manifestDir = join(tmp, "manifests");
    await mkdir(manifestDir);
    for (const [file, text] of Object.entries(manifests)) await writeFile(join(manifestDir, file), text);
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("creates a namespace, a secret and a config map (kubectl posts these as protobuf)", async () => {
    expect(expectOk(await kubectl(["create", "namespace", NS]))).toBe(`namespace/${NS} created\n`);
    expect(expectOk(await kubectl(["create", "secret", "generic", "openai", "-n", NS, "--from-literal=token=sk-test"]))).toBe("secret/openai created\n");
    expect(expectOk(await kubectl(["create", "configmap", "settings", "-n", NS, "--from-literal=greeting=hello"]))).toBe("configmap/settings created\n");
    const token = expectOk(await kubectl(["get", "secret", "openai", "-n", NS, "-o", "jsonpath={.data.token}"]));
    expect(Buffer.from(token, "base64").toString()).toBe("sk-test");
    expect(expectOk(await kubectl(["get", "secrets", "-n", NS]))).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\nopenai\s+Opaque\s+1\s+\d+s\n$/);
    expect(expectOk(await kubectl(["get", "configmap", "settings", "-n", NS]))).toMatch(/^NAME\s+DATA\s+AGE\nsettings\s+1\s+\d+s\n$/);
    expect(expectOk(await kubectl(["get", "namespace", NS]))).toMatch(new RegExp(`^NAME\\s+STATUS\\s+AGE\\n${NS}\\s+Active\\s+\\d+s\\n$`));
  });

  it("applies a directory of manifests in any order, then reports them unchanged", async () => {
    const created = expectOk(await kubectl(["apply", "-n", NS, "-f", manifestDir]));
    expect(created.trim().split("\n").sort()).toEqual([
      "agent.ark.mckinsey.com/weather created",
      "model.ark.mckinsey.com/default created",
      "query.ark.mckinsey.com/ask created",
      "team.ark.mckinsey.com/crew created",
      "tool.ark.mckinsey.com/get-coordinates created",
    ]);
    const again = expectOk(await kubectl(["apply", "-n", NS, "-f", manifestDir]));
    expect(
      again
        .trim()
        .split("\n")
        .every((line) => line.endsWith(" unchanged")),
    ).toBe(true);
  });

  it("applies built-in kinds: created, unchanged, then configured through a strategic merge patch", async () => {
    const file = join(tmp, "builtins.yaml");
    const render = (level: string) => `
apiVersion: v1
kind: Secret
metadata: {name: anthropic}
type: Opaque
data: {token: ${Buffer.from("sk-ant").toString("base64")}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: logging}
data: {level: ${level}}
`;
    await writeFile(file, render("info"));
    expect(expectOk(await kubectl(["apply", "-n", NS, "-f", file]))).toBe("secret/anthropic created\nconfigmap/logging created\n");
    expect(expectOk(await kubectl(["apply", "-n", NS, "-f", file]))).toBe("secret/anthropic unchanged\nconfigmap/logging unchanged\n");
    await writeFile(file, render("debug"));
    expect(expectOk(await kubectl(["apply", "-n", NS, "-f", file]))).toBe("secret/anthropic unchanged\nconfigmap/logging configured\n");
    expect(expectOk(await kubectl(["get", "configmap", "logging", "-n", NS, "-o", "jsonpath={.data.level}"]))).toBe("debug");
    const token = expectOk(await kubectl(["get", "secret", "anthropic", "-n", NS, "-o", "jsonpath={.data.token}"]));
    expect(Buffer.from(token, "base64").toString()).toBe("sk-ant");
  });

  it("applies a modified manifest as 'configured'", async () => {
    const changed = manifests["03-agent.yaml"]?.replace("You answer weather questions.", "You answer weather questions briefly.");
    await writeFile(join(manifestDir, "03-agent.yaml"), changed ?? "");
    const out = expectOk(await kubectl(["apply", "-n", NS, "-f", manifestDir]));
    expect(out).toContain("agent.ark.mckinsey.com/weather configured\n");
    expect(out).toContain("model.ark.mckinsey.com/default unchanged\n");
    expect(expectOk(await kubectl(["get", "agent", "weather", "-n", NS, "-o", "jsonpath={.spec.prompt}"]))).toBe("You answer weather questions briefly.");
  });

  it("server-side applies", async () => {
    const file = join(tmp, "ssa-agent.yaml");
    await writeFile(file, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: ssa}\nspec: {prompt: first}\n");
    expect(expectOk(await kubectl(["apply", "--server-side", "-n", NS, "-f", file]))).toBe("agent.ark.mckinsey.com/ssa serverside-applied\n");
    await writeFile(file, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: ssa}\nspec: {prompt: second}\n");
    expect(expectOk(await kubectl(["apply", "--server-side", "-n", NS, "-f", file]))).toBe("agent.ark.mckinsey.com/ssa serverside-applied\n");
    expect(expectOk(await kubectl(["get", "agent", "ssa", "-n", NS, "-o", "jsonpath={.spec.prompt}"]))).toBe("second");
    await writeFile(file, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: ssa}\nspec: {prompt: third}\n");
    const conflict = await kubectl(["apply", "--server-side", "--field-manager", "other", "-n", NS, "-f", file]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.prompt');
    expect(expectOk(await kubectl(["apply", "--server-side", "--field-manager", "other", "--force-conflicts", "-n", NS, "-f", file]))).toBe("agent.ark.mckinsey.com/ssa serverside-applied\n");
    expect(expectOk(await kubectl(["get", "agent", "ssa", "-n", NS, "-o", "jsonpath={.spec.prompt}"]))).toBe("third");
  });

  it("round-trips get -o json through replace", async () => {
    const json = expectOk(await kubectl(["get", "agent", "weather", "-n", NS, "-o", "json"]));
    const agent = JSON.parse(json) as { kind: string; metadata: { name: string; resourceVersion: string; uid: string }; spec: unknown };
    expect(agent).toMatchObject({ kind: "Agent", metadata: { name: "weather" }, spec: { modelRef: { name: "default" } } });
    expect(expectOk(await kubectl(["replace", "-f", "-"], json))).toBe("agent.ark.mckinsey.com/weather replaced\n");
    const after = JSON.parse(expectOk(await kubectl(["get", "agent", "weather", "-n", NS, "-o", "json"]))) as typeof agent;
    expect(after.metadata.uid).toBe(agent.metadata.uid);
    expect(after.spec).toEqual(agent.spec);
  });

  it("prints yaml, tables with printer columns, label and field selectors, all namespaces", async () => {
    const yamlOut = parse(expectOk(await kubectl(["get", "model", "default", "-n", NS, "-o", "yaml"])));
    expect(yamlOut).toMatchObject({ apiVersion: "ark.mckinsey.com/v1alpha1", kind: "Model", metadata: { name: "default", namespace: NS } });
    expect(expectOk(await kubectl(["get", "models", "-n", NS]))).toMatch(/^NAME\s+MODEL\s+.*\ndefault\s+gpt-4\.1-mini\s+/);
    expect(expectOk(await kubectl(["get", "agents", "-n", NS, "-l", "tier=front", "-o", "name"]))).toBe("agent.ark.mckinsey.com/weather\n");
    expect(expectOk(await kubectl(["get", "agents", "-n", NS, "--field-selector", "metadata.name=ssa", "-o", "name"]))).toBe("agent.ark.mckinsey.com/ssa\n");
    const all = expectOk(await kubectl(["get", "agents", "-A"]));
    expect(all).toMatch(/^NAMESPACE\s+NAME\s+AGE\n/);
    expect(all).toMatch(new RegExp(`\\n${NS}\\s+weather\\s+\\d+s\\n`));
  });

  it("describes and explains", async () => {
    const described = expectOk(await kubectl(["describe", "agent", "weather", "-n", NS]));
    expect(described).toMatch(/^Name:\s+weather\nNamespace:\s+kubectl-e2e\nLabels:\s+tier=front\n/);
    expect(described).toMatch(/Spec:\n\s+Model Ref:\n\s+Name:\s+default\n/);
    const explained = expectOk(await kubectl(["explain", "agent.spec"]));
    expect(explained).toMatch(/KIND:\s+Agent/);
    expect(explained).toMatch(/modelRef\s+<Object>/);
  });

  it("lists the 'all' category (agents, teams, queries besides services) and the 'ark' category (every ARK kind), and refuses to delete the default namespace", async () => {
    const file = join(tmp, "service.yaml");
    await writeFile(file, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n");
    expectOk(await kubectl(["apply", "-n", NS, "-f", file]));
    const all = expectOk(await kubectl(["get", "all", "-n", NS, "-o", "name"]))
      .trim()
      .split("\n");
    expect(all).toContain("service/web");
    const arkInAll = all.filter((line) => line !== "service/web");
    expect(arkInAll.length).toBeGreaterThan(0);
    expect(
      arkInAll.every((line) => /^(agent|team|query)\.ark\.mckinsey\.com\//.test(line)),
      arkInAll.join(" "),
    ).toBe(true);
    const ark = expectOk(await kubectl(["get", "ark", "-n", NS, "-o", "name"]))
      .trim()
      .split("\n");
    expect(ark).not.toContain("service/web");
    expect(ark).toEqual(expect.arrayContaining([...arkInAll, expect.stringMatching(/^model\.ark\.mckinsey\.com\//)]));
    const refused = await kubectl(["delete", "namespace", "default"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
  });

  it("sees a change through get -w", async () => {
    const watch = startKubectl(kubeconfig, cacheDir, ["get", "agents", "-n", NS, "-w", "--output-watch-events"]);
    try {
      await watch.waitForOutput(/ADDED\s+weather\s/);
      expectOk(await kubectl(["label", "agent", "weather", "-n", NS, "color=blue"]));
      await watch.waitForOutput(/MODIFIED\s+weather\s/);
    } finally {
      await watch.stop();
    }
    expect(watch.stderr).toBe("");
  });

  it("rejects an invalid manifest with the field path, and unknown fields", async () => {
    const bad = join(tmp, "bad-agent.yaml");
    await writeFile(bad, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: bad}\nspec:\n  tools: [{type: built-in}]\n");
    const rejected = await kubectl(["apply", "-n", NS, "-f", bad]);
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toContain("spec.tools[0].name");
    await writeFile(bad, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: bad}\nspec:\n  promptt: typo\n");
    const unknown = await kubectl(["apply", "-n", NS, "-f", bad]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown field "spec.promptt"');
    expect((await kubectl(["get", "agent", "bad", "-n", NS])).stderr).toContain("NotFound");
  });

  it("deletes a directory of manifests", async () => {
    const out = expectOk(await kubectl(["delete", "-n", NS, "-f", manifestDir]));
    expect(out.trim().split("\n").sort()).toEqual([
      'agent.ark.mckinsey.com "weather" deleted',
      'model.ark.mckinsey.com "default" deleted',
      'query.ark.mckinsey.com "ask" deleted',
      'team.ark.mckinsey.com "crew" deleted',
      'tool.ark.mckinsey.com "get-coordinates" deleted',
    ]);
    expect(expectOk(await kubectl(["get", "agents,models,teams,tools,queries", "-n", NS, "-o", "name"]))).toBe("agent.ark.mckinsey.com/ssa\n");
  });

  it("waits for finalizers before delete returns", async () => {
    const file = join(tmp, "held.yaml");
    await writeFile(file, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: held, finalizers: [example.com/hold]}\nspec: {prompt: p}\n");
    expectOk(await kubectl(["apply", "-n", NS, "-f", file]));
    const deletion = startKubectl(kubeconfig, cacheDir, ["delete", "agent", "held", "-n", NS, "--timeout=60s"]);
    let deletionTimestamp = "";
    while (deletionTimestamp === "") {
      deletionTimestamp = expectOk(await kubectl(["get", "agent", "held", "-n", NS, "-o", "jsonpath={.metadata.deletionTimestamp}"]));
    }
    expect(deletion.running()).toBe(true);
    expectOk(await kubectl(["patch", "agent", "held", "-n", NS, "--type=merge", "-p", '{"metadata":{"finalizers":null}}']));
    expect(await deletion.exited).toBe(0);
    expect(deletion.stdout).toBe('agent.ark.mckinsey.com "held" deleted\n');
    expect((await kubectl(["get", "agent", "held", "-n", NS])).stderr).toContain("NotFound");
  });

  it("deletes with --cascade=foreground: returns once the owner and its dependents are gone", async () => {
    const ownerFile = join(tmp, "fg-owner.yaml");
    await writeFile(ownerFile, "apiVersion: ark.mckinsey.com/v1alpha1\nkind: Agent\nmetadata: {name: fg-owner}\nspec: {prompt: p}\n");
    expectOk(await kubectl(["apply", "-n", NS, "-f", ownerFile]));
    const uid = expectOk(await kubectl(["get", "agent", "fg-owner", "-n", NS, "-o", "jsonpath={.metadata.uid}"]));
    const dependentFile = join(tmp, "fg-dependent.yaml");
    await writeFile(
      dependentFile,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fg-dependent\n  ownerReferences: [{apiVersion: ark.mckinsey.com/v1alpha1, kind: Agent, name: fg-owner, uid: ${uid}, blockOwnerDeletion: true}]\ndata: {a: b}\n`,
    );
    expectOk(await kubectl(["apply", "-n", NS, "-f", dependentFile]));
    expect(expectOk(await kubectl(["delete", "agent", "fg-owner", "-n", NS, "--cascade=foreground", "--timeout=60s"]))).toBe('agent.ark.mckinsey.com "fg-owner" deleted\n');
    expect((await kubectl(["get", "configmap", "fg-dependent", "-n", NS])).stderr).toContain("NotFound");
    expect((await kubectl(["get", "agent", "fg-owner", "-n", NS])).stderr).toContain("NotFound");
  });
});
