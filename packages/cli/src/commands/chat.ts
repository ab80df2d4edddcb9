import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { createArkApi, type ArkApi } from "../client/api-client.js";
import { createSpinner } from "../output/spinner.js";
import { settingsOf } from "../settings.js";
import { type ApprovalAsker, attachedToTerminal, readlineAsker } from "../query/approval-prompt.js";
import { answerText, runQuery, type QueryRequest } from "../query/run-query.js";
import { parseTarget } from "../query/target.js";

export function registerChat(program: Command): void {
  program
    .command("chat")
    .description("talk with an agent, team or model; turns share one memory session (/exit or Ctrl-D to leave); on a terminal, asks you to approve tool calls that need it")
    .argument("<target>", "agent/<name>, team/<name> or model/<name>")
    .option("--session <id>", "continue an earlier session")
    .option("--memory <name>", "the Memory that keeps the conversation (default: the namespace's Memory named default, when there is one)")
    .action(async (targetText: string, opts: { session?: string; memory?: string }, command: Command) => {
      const target = parseTarget(targetText);
      const api = createArkApi(settingsOf(command));
      const sessionId = opts.session ?? `chat-${randomUUID()}`;
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      process.stderr.write(`chatting with ${targetText} (session ${sessionId}); /exit or Ctrl-D to leave\n`);
      rl.setPrompt("you> ");
      rl.prompt();
      // Iterating (not rl.question) keeps lines that arrive while a turn runs, e.g. from a pipe.
      for await (const line of rl) {
        const input = line.trim();
        if (input === "/exit" || input === "/quit") break;
        if (input !== "") await chatTurn(api, { target, input, sessionId, ...(opts.memory ? { memory: opts.memory } : {}) }, attachedToTerminal() ? readlineAsker(rl) : undefined);
        rl.prompt();
      }
      rl.close();
    });
}

async function chatTurn(api: ArkApi, request: QueryRequest, ask: ApprovalAsker | undefined): Promise<void> {
  const spinner = createSpinner(process.stderr, "thinking");
  try {
    const outcome = await runQuery(api, request, spinner, undefined, ask);
    spinner.stop();
    if (outcome.responses.length > 0) process.stdout.write(`${request.target.name}> ${answerText(outcome)}\n`);
    if (outcome.phase !== "done") process.stderr.write(`error: ${outcome.message ?? outcome.phase}\n`);
  } catch (err) {
    spinner.stop();
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
