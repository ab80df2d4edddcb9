import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { UsageError } from "../errors.js";
import type { Manifest } from "../manifests/manifest.js";
import { parseTarget } from "../query/target.js";
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
      const tools = opts.tools
        ? opts.tools
            .split(",")
            .filter(Boolean)
            .map((tool) => ({ type: "custom", name: tool.trim() }))
        : undefined;
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
      const members = opts
        .members!.split(",")
        .filter(Boolean)
        .map((entry) => {
          const [type, member] = entry.includes(":") ? entry.split(":", 2) : ["agent", entry];
          if (type !== "agent" && type !== "team") throw new UsageError(`--members: "${entry}" must be agent:<name> or team:<name>`);
          return { type, name: member!.trim() };
        });
      const maxTurns = opts.maxTurns === undefined ? undefined : Number(opts.maxTurns);
      if (maxTurns !== undefined && !(Number.isInteger(maxTurns) && maxTurns > 0)) throw new UsageError(`--max-turns must be a positive integer, got "${opts.maxTurns}"`);
      return { apiVersion: API_VERSION, kind: "Team", metadata: { name }, spec: { strategy: opts.strategy, members, ...(maxTurns ? { maxTurns } : {}) } };
    },
  },
  tools: {
    describe: (c) =>
      c
        .requiredOption("--type <type>", "http or mcp")
        .option("--description <text>", "what the tool does (the model reads it)")
        .option("--url <url>", "http: the endpoint; {arg} placeholders take the call's arguments")
        .option("--method <method>", "http: GET, POST, PUT, DELETE or PATCH", "GET")
        .option("--mcp-server <name>", "mcp: the MCPServer offering the tool")
        .option("--tool-name <name>", "mcp: the tool's name on the server (default: this tool's name)")
        .option("--input-schema <json>", 'JSON Schema of the arguments, e.g. \'{"type":"object"}\''),
    manifest(name, opts) {
      const spec: Record<string, unknown> = { type: opts.type };
      if (opts.description) spec.description = opts.description;
      if (opts.inputSchema !== undefined) spec.inputSchema = jsonObjectOption("--input-schema", opts.inputSchema);
      if (opts.type === "http") {
        if (!opts.url) throw new UsageError("--url is required with --type http");
        spec.http = { url: opts.url, method: opts.method?.toUpperCase() };
      } else if (opts.type === "mcp") {
        if (!opts.mcpServer) throw new UsageError("--mcp-server is required with --type mcp");
        spec.mcp = { mcpServerRef: { name: opts.mcpServer }, toolName: opts.toolName ?? name };
      } else {
        throw new UsageError(`--type must be http or mcp, got "${opts.type}"`);
      }
      return { apiVersion: API_VERSION, kind: "Tool", metadata: { name }, spec };
    },
  },
  queries: {
    describe: (c) =>
      c
        .requiredOption("--input <text>", "the user message")
        .requiredOption("--target <targets>", "comma-separated <agent|team|model|tool>/<name>, e.g. agent/weather")
        .option("--session <id>", "memory session (default: the query's uid)")
        .option("--memory <name>", "the Memory to use (default: the namespace's default Memory)")
        .option("--timeout <duration>", "per-target timeout, e.g. 2m (default 5m)"),
    manifest(name, opts) {
      const targets = opts
        .target!.split(",")
        .map((t) => t.trim())
        .filter(Boolean)
        .map(parseTarget);
      if (targets.length === 0) throw new UsageError("--target names no target");
      const spec = {
        input: opts.input,
        ...(targets.length === 1 ? { target: targets[0] } : { targets }),
        ...(opts.session ? { sessionId: opts.session } : {}),
        ...(opts.memory ? { memory: { name: opts.memory } } : {}),
        ...(opts.timeout ? { timeout: opts.timeout } : {}),
      };
      return { apiVersion: API_VERSION, kind: "Query", metadata: { name }, spec };
    },
  },
  memories: {
    describe: (c) => c.option("--address <url>", "the memory service's base URL, e.g. http://127.0.0.1:8002").option("--service <name[:port]>", "a Service of the namespace instead of --address (port: its port name)"),
    manifest(name, opts) {
      if (Boolean(opts.address) === Boolean(opts.service)) throw new UsageError("give exactly one of --address and --service");
      let address: Record<string, unknown>;
      if (opts.address) {
        if (!/^https?:\/\//.test(opts.address)) throw new UsageError(`--address must be an http(s) URL, got "${opts.address}"`);
        address = { value: opts.address };
      } else {
        const [service, port] = opts.service!.split(":");
        address = { valueFrom: { serviceRef: { name: service, ...(port ? { port } : {}) } } };
      }
      return { apiVersion: API_VERSION, kind: "Memory", metadata: { name }, spec: { address } };
    },
  },
};

/** A flag holding a JSON object, or a usage error naming the flag. */
function jsonObjectOption(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} must be JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new UsageError(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}

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
