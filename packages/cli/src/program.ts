import { Command, Option } from "commander";
import { registerDev } from "./commands/dev.js";
import { resolveSettings, type ClientSettings, type GlobalFlags } from "./settings.js";

/** The `ark` command line; commands read the connection settings through `settings()`. */
export function createProgram(): Command {
  const program = new Command("ark")
    .description("ARK, the agentic runtime for Kubernetes: the local stack and a client for ark-api")
    .addOption(new Option("-s, --server <url>", "ark-api URL (env ARK_SERVER, default http://127.0.0.1:8000)"))
    .addOption(new Option("-n, --namespace <name>", "namespace (env ARK_NAMESPACE, default default)"))
    .addOption(new Option("--api-key <key>", "API key for ark-api (env ARK_API_KEY)"))
    .showHelpAfterError()
    .exitOverride();
  registerDev(program);
  return program;
}

export function settingsOf(command: Command): ClientSettings {
  return resolveSettings(command.optsWithGlobals<GlobalFlags>());
}
