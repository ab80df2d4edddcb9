import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import type { Command } from "commander";
import { parseDataset, type EvaluationStatus } from "@ark/types";
import { createArkApi, type ArkApi } from "../client/api-client.js";
import { CliError, UsageError } from "../errors.js";
import { createSpinner, type Spinner } from "../output/spinner.js";
import { formatTable } from "../output/table.js";
import { parseTarget } from "../query/target.js";
import { settingsOf } from "../settings.js";

const POLL_MS = 500;
const BAR_WIDTH = 24;

interface EvalOptions {
  target: string;
  evaluator: string;
  concurrency: string;
  timeout: string;
  key?: string;
  name?: string;
  minPassRate?: string;
}

interface EvaluationView {
  name: string;
  status?: EvaluationStatus;
}

export function registerEval(program: Command): void {
  program
    .command("eval")
    .description("run a dataset of {input, expected} cases against an agent, team or model, judge each answer, print the table (exit 1 when the evaluation fails or the pass rate is under --min-pass-rate)")
    .argument("<dataset>", "a JSON or YAML file of cases, or configmap/<name> in the namespace")
    .requiredOption("--target <target>", "agent/<name>, team/<name> or model/<name>: what answers each case")
    .option("--evaluator <name>", "the Evaluator that judges", "evaluator-llm")
    .option("--concurrency <n>", "cases running at once, at most", "5")
    .option("--timeout <duration>", "the whole evaluation's timeout", "30m")
    .option("--key <key>", "the ConfigMap key holding the cases (default: its only key)")
    .option("--name <name>", "the Evaluation's name (default: eval-<target>-<time>)")
    .option("--min-pass-rate <rate>", "fail (exit 1) when fewer cases pass, 0..1")
    .action(async (source: string, opts: EvalOptions, command: Command) => {
      const target = parseTarget(opts.target);
      if (target.type === "tool") throw new UsageError("--target must be an agent, team or model");
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number ≥ 1, got "${opts.concurrency}"`);
      const minPassRate = opts.minPassRate === undefined ? undefined : Number(opts.minPassRate);
      if (minPassRate !== undefined && !(minPassRate >= 0 && minPassRate <= 1)) throw new UsageError(`--min-pass-rate must be between 0 and 1, got "${opts.minPassRate}"`);
      const dataset = await datasetOf(source, opts.key);
      const api = createArkApi(settingsOf(command));
      const name = opts.name ?? `eval-${target.name}-${Date.now().toString(36)}`.slice(0, 63);
      await api.request("POST", api.namespaced("evaluations"), {
        body: {
          name,
          spec: { type: "baseline", timeout: opts.timeout, evaluator: { name: opts.evaluator }, config: { dataset, target, concurrency } },
        },
      });
      const spinner = createSpinner(process.stderr, `evaluation ${name}: starting`);
      let final: EvaluationView;
      try {
        final = await follow(api, name, spinner);
      } finally {
        spinner.stop();
      }
      const status = final.status ?? {};
      if (status.dataset) process.stdout.write(`${resultTable(status.dataset)}\n`);
      if (status.phase !== "done") throw new CliError(`evaluation ${name} failed: ${status.message ?? status.phase ?? "unknown"}`);
      const rate = Number(status.dataset?.passRate ?? "0");
      if (minPassRate !== undefined && rate < minPassRate) throw new CliError(`pass rate ${rate.toFixed(3)} is under --min-pass-rate ${minPassRate}`);
    });
}

/** A file's cases inline (checked here, so a bad file fails before anything is created), or a ConfigMap reference. */
async function datasetOf(source: string, key: string | undefined): Promise<Record<string, unknown>> {
  const configMap = /^(configmap|cm)\/(.+)$/i.exec(source);
  if (configMap) return { configMapRef: { name: configMap[2], ...(key ? { key } : {}) } };
  if (!existsSync(source)) throw new UsageError(`dataset "${source}" is neither a file nor configmap/<name>`);
  try {
    return { cases: parseDataset(await readFile(source, "utf8"), source) };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function follow(api: ArkApi, name: string, spinner: Spinner): Promise<EvaluationView> {
  for (;;) {
    const evaluation = await api.request<EvaluationView>("GET", api.namespaced(`evaluations/${encodeURIComponent(name)}`));
    if (!evaluation) throw new CliError(`evaluation ${name} disappeared`);
    const phase = evaluation.status?.phase;
    if (phase === "done" || phase === "error" || phase === "canceled") return evaluation;
    spinner.update(`evaluation ${name}: ${progressText(evaluation.status)}`);
    await delay(POLL_MS);
  }
}

/** `[██████░░░░] 6/10 cases finished, 2 running` from status.batchProgress. */
function progressText(status: EvaluationStatus | undefined): string {
  const progress = status?.batchProgress;
  if (!progress?.total) return status?.message ?? "starting";
  const finished = (progress.completed ?? 0) + (progress.failed ?? 0);
  const filled = Math.round((finished / progress.total) * BAR_WIDTH);
  return `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${finished}/${progress.total} cases finished, ${progress.running ?? 0} running`;
}

const clip = (text: string | undefined, max: number): string => {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** One row per case (score, passed, input, reasoning or error), then the pass rate and mean score. */
function resultTable(dataset: NonNullable<EvaluationStatus["dataset"]>): string {
  const rows = dataset.cases.map((c) => [c.name, c.phase === "done" ? (c.passed ? "yes" : "no") : c.phase, c.score ?? "", clip(c.input, 40), clip(c.phase === "done" ? c.reasoning : c.message, 80)]);
  const table = formatTable(["case", "passed", "score", "input", "reasoning"], rows);
  const summary = `pass rate ${dataset.passRate ?? "-"} (${dataset.passed}/${dataset.total} passed), mean score ${dataset.meanScore ?? "-"}`;
  return `${table}\n\n${summary}`;
}
