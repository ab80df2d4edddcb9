import { Command, Option } from "commander";
import { registerA2A } from "./commands/a2a.js";
import { registerApply } from "./commands/apply.js";
import { registerApprovals } from "./commands/approvals.js";
import { registerChat } from "./commands/chat.js";
import { registerDelete } from "./commands/delete.js";
import { registerDev } from "./commands/dev.js";
import { registerEval } from "./commands/eval.js";
import { registerGet } from "./commands/get.js";
import { registerMemory } from "./commands/memory.js";
import { registerQuery } from "./commands/query.js";
import { registerStatus } from "./commands/status.js";
import { registerTrace } from "./commands/trace.js";
import { registerCompletion } from "./commands/completion.js";
import { registerResourceVerbs } from "./commands/resource-verbs.js";
import { registerStackTools } from "./commands/stack-tools.js";

/** The `ark` command line; commands read the connection settings through `settings()`. */
export function createProgram(): Command {
  const program = new Command("ark")
    .description("ARK, the agentic runtime for Kubernetes: the local stack and a client for ark-api")
    .addOption(new Option("-s, --server <url>", "ark-api URL (env ARK_SERVER, default http://127.0.0.1:8000)"))
    .addOption(new Option("-n, --namespace <name>", "namespace (env ARK_NAMESPACE, default default)"))
    .addOption(new Option("--api-key <key>", "API key for ark-api (env ARK_API_KEY)"))
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerDev,
    registerApply,
    registerGet,
    registerDelete,
    registerQuery,
    registerTrace,
    registerChat,
    registerStatus,
    registerEval,
    registerA2A,
    registerApprovals,
    registerMemory,
    registerResourceVerbs,
    registerStackTools,
  ])
    register(program);
  registerCompletion(program); // last: its script lists every command registered before it
  return program;
}
