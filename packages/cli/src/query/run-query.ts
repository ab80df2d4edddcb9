import { randomBytes } from "node:crypto";
import { readServerSentEvents, type FinishedQueryPhase, type QueryFailure } from "@ark/types";
import type { ArkApi } from "../client/api-client.js";
import { describeEvent } from "../output/event-lines.js";
import type { Spinner } from "../output/spinner.js";
import type { ApprovalAsked, ApprovalAsker } from "./approval-prompt.js";
import type { TargetType } from "./target.js";

export interface QueryRequest {
  target: { type: TargetType; name: string };
  input: string;
  sessionId?: string;
  /** The Memory (in the query's namespace) that keeps the session; unset: the namespace's `default` Memory, if any. */
  memory?: string;
  timeout?: string;
}

export interface QueryOutcome {
  name: string;
  phase: FinishedQueryPhase;
  responses: { target: { type: string; name: string }; content: string }[];
  message?: string;
}

interface QueryDetail {
  status?: { phase?: string; message?: string; responses?: QueryOutcome["responses"]; failure?: QueryFailure };
}

/**
 * Creates a Query through ark-api and follows its events until it ends, reporting progress on the spinner.
 * Aborting `cancel` cancels the query; its events then run to the canceled end. With `ask` (a terminal), a tool call
 * waiting for approval is put to the person and their decision sent through ark-api; the run then goes on.
 */
export async function runQuery(api: ArkApi, request: QueryRequest, spinner: Spinner, cancel?: AbortSignal, ask?: ApprovalAsker): Promise<QueryOutcome> {
  const name = `cli-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const path = api.namespaced(`queries/${name}`);
  // Created and answered with its event stream in one request.
  const response = await api.stream(api.namespaced("queries"), {
    body: {
      name,
      input: request.input,
      target: request.target,
      ...(request.sessionId ? { sessionId: request.sessionId } : {}),
      ...(request.memory ? { memory: { name: request.memory } } : {}),
      ...(request.timeout ? { timeout: request.timeout } : {}),
    },
  });
  spinner.update(`query ${name} created`);
  cancel?.addEventListener("abort", () => void api.request("PATCH", `${path}/cancel`).catch(() => undefined), { once: true });

  for await (const message of readServerSentEvents(response.body ?? emptyBody())) {
    if (message.event === "end" || message.event === "error") break;
    const event = JSON.parse(message.data) as { type: string; [key: string]: unknown };
    if (ask && event.type === "tool.approval.requested") {
      await decideInline(api, spinner, ask, event as unknown as ApprovalAsked, cancel);
      continue;
    }
    const view = describeEvent(event);
    if (view.line) spinner.log(view.line);
    if (view.status) spinner.update(view.status);
    const outcome = outcomeOf(name, event);
    if (outcome) return outcome;
  }
  // The stream ended without a terminal event (deleted, or interrupted): the Query's status says how it ended.
  const detail = await api.request<QueryDetail>("GET", path, { allowNotFound: true });
  const phase = detail?.status?.phase;
  return {
    name,
    phase: phase === "done" ? "done" : phase === "canceled" ? "canceled" : "error",
    responses: detail?.status?.responses ?? [],
    message: detail ? `${detail.status?.message ?? `the event stream ended while the query was ${phase ?? "pending"}`}${failureNote(detail.status?.failure)}` : "the query was deleted",
  };
}

/** Puts the paused calls to the person and sends their decision; undecided or refused, says how to decide later. */
async function decideInline(api: ArkApi, spinner: Spinner, ask: ApprovalAsker, asked: ApprovalAsked, cancel: AbortSignal | undefined): Promise<void> {
  const name = asked.request;
  const later = `decide with: ark approvals approve ${name} | ark approvals reject ${name} --reason …`;
  spinner.update("waiting for approval");
  const answer = await spinner.hold(() => ask(asked, cancel));
  if (!answer) return spinner.log(`  ⏸ left undecided; ${later}`);
  try {
    const body = answer.reason ? { reason: answer.reason } : {};
    await api.request("POST", api.namespaced(`tool-approvals/${encodeURIComponent(name)}/${answer.verb}`), { body });
    spinner.log(`  ${answer.verb === "approve" ? "✓ approved" : "✗ rejected"} ${name}${answer.reason ? ` (${answer.reason})` : ""}; the run goes on`);
  } catch (err) {
    spinner.log(`  ! ${err instanceof Error ? err.message : String(err)}; ${later}`);
  }
}

function outcomeOf(name: string, event: { type: string; [key: string]: unknown }): QueryOutcome | undefined {
  const responses = (event.responses as QueryOutcome["responses"] | undefined) ?? [];
  if (event.type === "query.completed") return { name, phase: "done", responses };
  if (event.type === "query.failed") return { name, phase: "error", responses, message: `${String(event.message ?? "the query failed")}${failureNote(event as QueryFailure)}` };
  if (event.type === "query.canceled") return { name, phase: "canceled", responses, message: String(event.message ?? "the query was canceled") };
  return undefined;
}

/** Whose failure it was and whether trying again may help (docs/architecture.md §10): ` [third-party error, PROVIDER_ERROR, retryable]`. */
function failureNote(failure: QueryFailure | undefined): string {
  if (!failure?.origin) return "";
  return ` [${[`${failure.origin} error`, failure.code, failure.retryable ? "retryable" : undefined].filter(Boolean).join(", ")}]`;
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** The answer text: one target's content, or each target's under a heading. */
export function answerText(outcome: QueryOutcome): string {
  if (outcome.responses.length === 1) return outcome.responses[0]!.content;
  return outcome.responses.map((r) => `--- ${r.target.type}/${r.target.name} ---\n${r.content}`).join("\n\n");
}
