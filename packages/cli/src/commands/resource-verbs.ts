import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { UsageError } from "../errors.js";
import type { Manifest } from "../manifests/manifest.js";
import { settingsOf } from "../settings.js";
import { applyOne } from "./apply.js";
import { deleteResources } from "./delete.js";
import { OUTPUT_HELP, showResources } from "./get.js";

/** `ark <group> list|get|delete` (and `create` where flags can say enough), as upstream's CLI groups its verbs. */
const GROUPS = ["models", "agents", "teams", "tools", "queries", "memories", "mcp-servers", "a2a-servers", "execution-engines", "evaluators", "evaluations", "secrets"] as const;
type Group = (typeof GROUPS)[number];

const API_VERSION = "ark.mckinsey.com/v1alpha1";

/** Builds the manifest `ark <group> create <name> …flags` stands for. */
const CREATORS: Partial<Record<Group, { describe(command: Command): Command; manifest(name: string, opts: Record<string, string | undefined>): Manifest }>> = {
  models: {
    describe: (c) =>
      c
        .requiredOption("--type <type>", "openai, azure, anthropic, gemini, bedrock or ollama")
        .requiredOption("--model <id>", "model or deployment id, e.g. gpt-4.1-mini")
        .option("--base-url <url>", "the provider's API URL (required for openai, azure, ollama)")
        .option("--api-key-secret <secret[:key]>", "Secret holding the API key (key defaults to token)")
        .option("--api-version <version>", "azure: the api-version"),
    manifest(name, opts) {
      const type = opts.type!;
      const config: Record<string, unknown> = {};
      if (opts.baseUrl) config.baseUrl = { value: opts.baseUrl };
      if (opts.apiKeySecret) {
        const [secret, key = "token"] = opts.apiKeySecret.split(":");
        config.apiKey = { valueFrom: { secretKeyRef: { name: secret, key } } };
      }
      if (opts.apiVersion) config.apiVersion = { value: opts.apiVersion };
      return { apiVersion: API_VERSION, kind: "Model", metadata: { name }, spec: { type, model: { value: opts.model }, config: { [type]: config } } };
    },
  },
  agents: {
    describe: (c) =>
      c
        .option("--prompt <text>", "the system prompt")
        .option("--description <text>", "what the agent does")
        .option("--model <name>", "the Model it uses (default: the namespace's default Model)")
        .option("--tools <names>", "comma-separated Tool names"),
    manifest(name, opts) {
      const tools = opts.tools ? opts.tools.split(",").filter(Boolean).map((tool) => ({ type: "custom", name: tool.trim() })) : undefined;
      const spec = {
        ...(opts.prompt ? { prompt: opts.prompt } : {}),
        ...(opts.description ? { description: opts.description } : {}),
        ...(opts.model ? { modelRef: { name: opts.model } } : {}),
        ...(tools ? { tools } : {}),
      };
      return { apiVersion: API_VERSION, kind: "Agent", metadata: { name }, spec };
    },
  },
  teams: {
    describe: (c) =>
      c
        .requiredOption("--members <list>", "comma-separated members, agent:<name> or team:<name> (a bare name is an agent)")
        .option("--strategy <strategy>", "sequential, round-robin, selector or graph", "sequential")
        .option("--max-turns <n>", "turn limit for round-robin, selector and graph"),
    manifest(name, opts) {
      const members = opts.members!.split(",").filter(Boolean).map((entry) => {
        const [type, member] = entry.includes(":") ? entry.split(":", 2) : ["agent", entry];
        if (type !== "agent" && type !== "team") throw new UsageError(`--members: "${entry}" must be agent:<name> or team:<name>`);
        return { type, name: member!.trim() };
      });
      const maxTurns = opts.maxTurns === undefined ? undefined : Number(opts.maxTurns);
      if (maxTurns !== undefined && !(Number.isInteger(maxTurns) && maxTurns > 0)) throw new UsageError(`--max-turns must be a positive integer, got "${opts.maxTurns}"`);
      return { apiVersion: API_VERSION, kind: "Team", metadata: { name }, spec: { strategy: opts.strategy, members, ...(maxTurns ? { maxTurns } : {}) } };
    },
  },
};

export function registerResourceVerbs(program: Command): void {
  for (const group of GROUPS) {
    const parent = program.command(group).description(`list, get${CREATORS[group] ? ", create" : ""} and delete ${group}`);
    parent
      .command("list")
      .alias("ls")
      .description(`list the ${group} of the namespace`)
      .option("-o, --output <format>", OUTPUT_HELP)
      .action((opts: { output?: string }, command: Command) => showResources(command, group, undefined, opts.output));
    parent
      .command("get")
      .description(`show one of the ${group}`)
      .argument("<name>")
      .option("-o, --output <format>", OUTPUT_HELP)
      .action((name: string, opts: { output?: string }, command: Command) => showResources(command, group, name, opts.output));
    parent
      .command("delete")
      .description(`delete ${group} by name`)
      .argument("<names...>")
      .option("--ignore-not-found", "no error when one does not exist", false)
      .action((names: string[], opts: { ignoreNotFound: boolean }, command: Command) => deleteResources(command, group, names, opts.ignoreNotFound));
    const creator = CREATORS[group];
    if (creator) {
      creator
        .describe(parent.command("create").description(`create (or update) one of the ${group} from flags`).argument("<name>"))
        .action(async (name: string, opts: Record<string, string | undefined>, command: Command) => {
          const api = createArkApi(settingsOf(command));
          process.stdout.write(`${await applyOne(api, { manifest: creator.manifest(name, opts), origin: "the command line" })}\n`);
        });
    }
  }
}
