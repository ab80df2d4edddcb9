import type { Command } from "commander";
import { createArkApi } from "../client/api-client.js";
import { CliError } from "../errors.js";
import { createSpinner } from "../output/spinner.js";
import { settingsOf } from "../settings.js";
import { attachedToTerminal, terminalAsker } from "../query/approval-prompt.js";
import { answerText, runQuery } from "../query/run-query.js";
import { parseTarget } from "../query/target.js";

export function registerQuery(program: Command): void {
  program
    .command("query")
    .description("ask an agent, team or model; shows tool calls and turns as they happen, then the answer (exit 0 done, 1 failed); on a terminal, asks you to approve tool calls that need it")
    .argument("<target>", "agent/<name>, team/<name>, model/<name> or tool/<name>")
    .argument("<input>", "the message")
    .option("--session <id>", "memory session id, to continue a conversation")
    .option("--memory <name>", "the Memory that keeps the conversation (default: the namespace's Memory named default, when there is one)")
    .option("--timeout <duration>", "the query's timeout, e.g. 30s or 5m")
    .action(async (targetText: string, input: string, opts: { session?: string; memory?: string; timeout?: string }, command: Command) => {
      const target = parseTarget(targetText);
      const api = createArkApi(settingsOf(command));
      const spinner = createSpinner(process.stderr, `asking ${targetText}`);
      const cancel = new AbortController();
      const onInterrupt = () => {
        spinner.log("canceling the query (Ctrl-C again to leave at once)");
        cancel.abort();
        process.once("SIGINT", () => process.exit(130));
      };
      process.once("SIGINT", onInterrupt);
      let outcome;
      try {
        outcome = await runQuery(
          api,
          { target, input, ...(opts.session ? { sessionId: opts.session } : {}), ...(opts.memory ? { memory: opts.memory } : {}), ...(opts.timeout ? { timeout: opts.timeout } : {}) },
          spinner,
          cancel.signal,
          attachedToTerminal() ? terminalAsker() : undefined,
        );
      } finally {
        spinner.stop();
        process.off("SIGINT", onInterrupt);
      }
      if (outcome.responses.length > 0) process.stdout.write(`${answerText(outcome)}\n`);
      if (outcome.phase !== "done") throw new CliError(`query ${outcome.name} ${outcome.phase === "canceled" ? "was canceled" : "failed"}: ${outcome.message ?? ""}`);
    });
}
