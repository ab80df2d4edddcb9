import { createInterface, type Interface } from "node:readline/promises";

/** A tool approval request as a followed query's `tool.approval.requested` event names it. */
export interface ApprovalAsked {
  request: string;
  toolCalls: Array<{ name?: string; arguments?: string }>;
}

interface ApprovalAnswer {
  verb: "approve" | "reject";
  reason?: string;
}

/** Asks the person at the terminal to decide; undefined when they leave it undecided (end of input, Ctrl-C). */
export type ApprovalAsker = (asked: ApprovalAsked, signal?: AbortSignal) => Promise<ApprovalAnswer | undefined>;

const YES = /^(y|yes|a|approve)$/i;
const NO = /^(n|no|r|reject)$/i;

/**
 * `ark query` / `ark chat` attached to a terminal (docs/architecture.md §3.2): each call, then "approve? [y/n]" and an
 * optional reason, on the given readline (chat's own, so its input is not split between two readers).
 */
export function readlineAsker(rl: Interface): ApprovalAsker {
  return async (asked, signal) => {
    const calls = asked.toolCalls.map((c) => `    ${c.name ?? "?"}(${c.arguments ?? ""})`).join("\n");
    process.stderr.write(`  ⏸ approval needed (${asked.request}) for:\n${calls}\n`);
    try {
      for (;;) {
        const answer = (await question(rl, "  approve? [y/n] ", signal)).trim();
        const verb = YES.test(answer) ? "approve" : NO.test(answer) ? "reject" : undefined;
        if (!verb) {
          process.stderr.write("  answer y (approve) or n (reject)\n");
          continue;
        }
        const reason = (await question(rl, "  reason (optional): ", signal)).trim();
        return { verb, ...(reason ? { reason } : {}) };
      }
    } catch {
      // Input closed or the query is being canceled: leave the request to `ark approvals`.
      return undefined;
    }
  };
}

/** One question; rejects when the input closes (Ctrl-D) or `signal` aborts, instead of waiting for ever. */
function question(rl: Interface, text: string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const closed = () => reject(new Error("input closed"));
    rl.once("close", closed);
    rl.question(text, signal ? { signal } : {})
      .then(resolve, reject)
      .finally(() => rl.off("close", closed));
  });
}

/** `ark query` on a terminal: a readline on stdin only while asking (Ctrl-C then still cancels the query). */
export function terminalAsker(): ApprovalAsker {
  return async (asked, signal) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.on("SIGINT", () => {
      rl.close();
      process.kill(process.pid, "SIGINT");
    });
    try {
      return await readlineAsker(rl)(asked, signal);
    } finally {
      rl.close();
    }
  };
}

/** Whether a person is at the terminal to ask (stdin and stderr both a TTY). */
export function attachedToTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}
