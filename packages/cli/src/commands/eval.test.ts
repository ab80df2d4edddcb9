import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRecordingServer, type RecordingServer } from "@ark/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../program.js";

const cases = Array.from({ length: 3 }, (_, i) => ({ input: `question ${i}`, expected: `answer ${i}` }));
const row = (i: number, passed: boolean) => ({
  name: `case-${i + 1}`,
  input: `question ${i}`,
  expected: `answer ${i}`,
  output: `answer ${i}`,
  phase: "done",
  score: passed ? "1" : "0.2",
  passed,
  reasoning: passed ? "matches the expected answer" : "says something else",
});

/** ark-api as `ark eval` sees it: the Evaluation is created, runs (progress), then is done with the table. */
describe("ark eval", () => {
  let api: RecordingServer;
  let gets = 0;
  const dir = mkdtempSync(join(tmpdir(), "ark-eval-cli-"));
  const file = join(dir, "cases.yaml");
  writeFileSync(file, cases.map((c) => `- input: ${c.input}\n  expected: ${c.expected}`).join("\n"));

  beforeAll(async () => {
    api = await startRecordingServer((request, res) => {
      const json = (body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (request.method === "POST") return json({ name: JSON.parse(request.body).name });
      gets++;
      if (gets < 3) return json({ name: "e", status: { phase: "running", batchProgress: { total: 3, completed: gets, failed: 0, running: 1 } } });
      json({
        name: "e",
        status: {
          phase: "done",
          message: "Baseline evaluation completed: 2/3 cases passed",
          dataset: { total: 3, passed: 2, passRate: "0.667", meanScore: "0.733", cases: [row(0, true), row(1, true), row(2, false)] },
        },
      });
    });
  });
  afterAll(() => api?.close());
  afterEach(() => {
    api.reset();
    gets = 0;
    vi.restoreAllMocks();
  });

  async function run(args: string[]): Promise<string> {
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const program = createProgram();
    for (const command of [program, ...program.commands]) command.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    await program.parseAsync(["node", "ark", "-s", api.url, ...args]);
    return out;
  }

  it("creates a baseline Evaluation with the file's cases against the target, follows it and prints the table", async () => {
    const out = await run(["eval", file, "--target", "agent/helper", "--concurrency", "2", "--name", "e"]);
    const post = api.requests.find((r) => r.method === "POST");
    expect(post?.url).toBe("/v1/namespaces/default/evaluations");
    expect(JSON.parse(post?.body ?? "{}")).toEqual({
      name: "e",
      spec: {
        type: "baseline",
        timeout: "30m",
        evaluator: { name: "evaluator-llm" },
        config: { dataset: { cases: cases.map((c, i) => ({ ...c, name: `case-${i + 1}` })) }, target: { type: "agent", name: "helper" }, concurrency: 2 },
      },
    });
    expect(api.requests.filter((r) => r.method === "GET").length).toBe(3);
    const lines = out.trim().split("\n");
    expect(lines[0]!.split(/\s{2,}/)).toEqual(["CASE", "PASSED", "SCORE", "INPUT", "REASONING"]);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(["case-1", "yes", "1", "question 0", "matches the expected answer"]);
    expect(lines[3]!.split(/\s{2,}/)).toEqual(["case-3", "no", "0.2", "question 2", "says something else"]);
    expect(lines.at(-1)).toBe("pass rate 0.667 (2/3 passed), mean score 0.733");
  });

  it("refers to a ConfigMap, and fails under --min-pass-rate", async () => {
    await expect(run(["eval", "configmap/regression", "--key", "cases.json", "--target", "team/crew", "--name", "e", "--min-pass-rate", "0.9"])).rejects.toThrow("pass rate 0.667 is under --min-pass-rate 0.9");
    const body = JSON.parse(api.requests.find((r) => r.method === "POST")?.body ?? "{}");
    expect(body.spec.config.dataset).toEqual({ configMapRef: { name: "regression", key: "cases.json" } });
  });

  it("rejects a file that is not a dataset before creating anything", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "- expected: no input here\n");
    await expect(run(["eval", bad, "--target", "agent/helper"])).rejects.toThrow(/dataset .*bad\.yaml is not a list of \{input, expected\} cases at 0\.input/);
    await expect(run(["eval", join(dir, "missing.yaml"), "--target", "agent/helper"])).rejects.toThrow(/neither a file nor configmap\/<name>/);
    expect(api.requests).toHaveLength(0);
  });
});
