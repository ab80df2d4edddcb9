import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { collectionPath } from "../client/resource-paths.js";
import { readStackFile } from "../dev/stack-file.js";
import { CliError, UsageError } from "../errors.js";
import { kindByName } from "../manifests/kinds.js";
import { formatTable } from "../output/table.js";
import { settingsOf } from "../settings.js";

const TARGET_KINDS = ["agents", "teams", "models", "tools"] as const;
const DEFAULT_GATEWAY = "http://127.0.0.1:8080";
const DEFAULT_DASHBOARD = "http://127.0.0.1:3000";
const REPO_CHART = resolve(import.meta.dirname, "..", "..", "..", "..", "charts", "ark");

const arkHome = () => resolve(process.env.ARK_HOME ?? ".ark");

/** The URL of a service of the running `ark dev` (its stack file), if one runs. */
async function devServiceUrl(name: string): Promise<string | undefined> {
  return (await readStackFile(arkHome()))?.services.find((service) => service.name === name)?.url;
}

/** `ark targets`: everything a query can target in the namespace, as `type/name`. */
function registerTargets(program: Command): void {
  program
    .command("targets")
    .description("list what a query can target in the namespace: agents, teams, models and tools")
    .option("-o, --output <format>", "json or name (default: a table)")
    .action(async (opts: { output?: string }, command: Command) => {
      if (opts.output !== undefined && opts.output !== "json" && opts.output !== "name") throw new UsageError(`--output must be json or name, got "${opts.output}"`);
      const api = createArkApi(settingsOf(command));
      const targets: { type: string; name: string; description: string }[] = [];
      for (const plural of TARGET_KINDS) {
        const kind = kindByName(plural);
        const list = await api.request<{ items: Record<string, unknown>[] }>("GET", collectionPath(kind, api.settings.namespace));
        for (const item of list?.items ?? []) targets.push({ type: kind.kind.toLowerCase(), name: String(item.name), description: String(item.description ?? "") });
      }
      if (opts.output === "json") return void process.stdout.write(`${JSON.stringify(targets, null, 2)}\n`);
      if (opts.output === "name") return void process.stdout.write(targets.map((t) => `${t.type}/${t.name}\n`).join(""));
      if (targets.length === 0) return void process.stdout.write(`No targets in namespace ${api.settings.namespace}: create an agent (ark agents create) or a model.\n`);
      process.stdout.write(
        `${formatTable(
          ["target", "description"],
          targets.map((t) => [`${t.type}/${t.name}`, t.description.replace(/\s+/g, " ").slice(0, 80)]),
        )}\n`,
      );
    });
}

/** `ark routes`: the localhost-gateway's host names and where they go. */
function registerRoutes(program: Command): void {
  program
    .command("routes")
    .description("list the local gateway's routes (http://<service>.localhost:8080/)")
    .option("--gateway <url>", `the gateway (env ARK_GATEWAY_URL; default: the running ark dev's, else ${DEFAULT_GATEWAY})`)
    .option("-o, --output <format>", "json (default: a table)")
    .action(async (opts: { gateway?: string; output?: string }) => {
      const gateway = (opts.gateway ?? process.env.ARK_GATEWAY_URL ?? (await devServiceUrl("localhost-gateway")) ?? DEFAULT_GATEWAY).replace(/\/+$/, "");
      const response = await fetch(`${gateway}/_gateway`).catch((err: unknown) => {
        throw new CliError(`cannot reach the gateway at ${gateway} (${err instanceof Error ? err.message : String(err)}): is ark dev running?`);
      });
      if (!response.ok) throw new CliError(`the gateway at ${gateway} answered ${response.status}`);
      const listing = (await response.json()) as { routes: { name: string; host: string; upstream: string }[] };
      if (opts.output === "json") return void process.stdout.write(`${JSON.stringify(listing.routes, null, 2)}\n`);
      process.stdout.write(
        `${formatTable(
          ["service", "url", "upstream"],
          listing.routes.map((r) => [r.name, r.host, r.upstream]),
        )}\n`,
      );
    });
}

/** `ark dashboard`: opens the dashboard of the running stack, or says what to do. */
function registerDashboard(program: Command): void {
  program
    .command("dashboard")
    .description("open the ARK dashboard in a browser")
    .option("--no-open", "print the URL only")
    .action(async (opts: { open: boolean }) => {
      const url = process.env.ARK_DASHBOARD_URL ?? (await devServiceUrl("ark-dashboard"));
      const target = url ?? DEFAULT_DASHBOARD;
      const answers = await fetch(`${target.replace(/\/+$/, "")}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!answers) throw new CliError(`no dashboard answers at ${target}: start the stack with \`pnpm dev\` (or set ARK_DASHBOARD_URL)`);
      process.stdout.write(`${target}\n`);
      if (!opts.open) return;
      const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
      const child = spawn(opener, [target], { stdio: "ignore", detached: true });
      child.on("error", () => process.stderr.write(`(no ${opener} here: open the URL above yourself)\n`));
      child.unref();
    });
}

/** `ark install|uninstall`: the Helm chart into the current kube context, when helm is on the PATH. */
function registerInstall(program: Command): void {
  const helm = (args: readonly string[]): void => {
    if (spawnSync("helm", ["version", "--short"], { stdio: "ignore" }).status !== 0) {
      throw new CliError("helm is not on the PATH: install Helm 3 (https://helm.sh/docs/intro/install/), then run this again; or `pnpm dev` runs ARK locally without a cluster");
    }
    process.stderr.write(`helm ${args.join(" ")}\n`);
    const run = spawnSync("helm", args, { stdio: "inherit" });
    if (run.status !== 0) throw new CliError(`helm exited with ${run.status ?? run.signal}`);
  };
  program
    .command("install")
    .description("install ARK (CRDs and services) into the current kube context with Helm")
    .option("--namespace <ns>", "the namespace of ARK's services", "ark-system")
    .option("--chart <path>", "the ark chart (default: this checkout's charts/ark)", REPO_CHART)
    .option("-f, --values <file...>", "values files for the chart")
    .action((opts: { namespace: string; chart: string; values?: string[] }) => {
      if (!existsSync(join(opts.chart, "Chart.yaml"))) throw new UsageError(`--chart: no Chart.yaml in ${opts.chart}`);
      const crds = join(opts.chart, "..", "ark-crds");
      if (existsSync(join(crds, "Chart.yaml"))) helm(["upgrade", "--install", "ark-crds", crds, "--namespace", opts.namespace, "--create-namespace", "--wait"]);
      helm(["upgrade", "--install", "ark", opts.chart, "--namespace", opts.namespace, "--create-namespace", "--wait", ...(opts.values ?? []).flatMap((file) => ["-f", file])]);
    });
  program
    .command("uninstall")
    .description("remove ARK's services installed by `ark install` (the CRDs and your resources stay)")
    .option("--namespace <ns>", "the namespace of ARK's services", "ark-system")
    .action((opts: { namespace: string }) => helm(["uninstall", "ark", "--namespace", opts.namespace]));
}

export function registerStackTools(program: Command): void {
  registerTargets(program);
  registerRoutes(program);
  registerDashboard(program);
  registerInstall(program);
}
