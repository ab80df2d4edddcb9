import { randomBytes } from "node:crypto";
import type { FinishedQueryPhase } from "@ark/types";
import type { ArkApi } from "../client/api-client.js";
import { readSse } from "../client/sse.js";
import { describeEvent } from "../output/event-lines.js";
import type { Spinner } from "../output/spinner.js";
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
  status?: { phase?: string; message?: string; responses?: QueryOutcome["responses"] };
}

/**
 * Creates a Query through ark-api and follows its events until it ends, reporting progress on the spinner.
 * Aborting `cancel` cancels the query; its events then run to the canceled end.
 */
export async function runQuery(api: ArkApi, request: QueryRequest, spinner: Spinner, cancel?: AbortSignal): Promise<QueryOutcome> {
  const name = `cli-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const path = api.namespaced(`queries/${name}`);
  await api.request("POST", api.namespaced("queries"), {
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

  const response = await api.stream(`${path}/events`);
  for await (const message of readSse(response.body ?? emptyBody())) {
    if (message.event === "end" || message.event === "error") break;
    const event = JSON.parse(message.data) as { type: string; [key: string]: unknown };
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
    message: detail ? (detail.status?.message ?? `the event stream ended while the query was ${phase ?? "pending"}`) : "the query was deleted",
  };
}

function outcomeOf(name: string, event: { type: string; [key: string]: unknown }): QueryOutcome | undefined {
  const responses = (event.responses as QueryOutcome["responses"] | undefined) ?? [];
  if (event.type === "query.completed") return { name, phase: "done", responses };
  if (event.type === "query.failed") return { name, phase: "error", responses, message: String(event.message ?? "the query failed") };
  if (event.type === "query.canceled") return { name, phase: "canceled", responses, message: String(event.message ?? "the query was canceled") };
  return undefined;
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** The answer text: one target's content, or each target's under a heading. */
export function answerText(outcome: QueryOutcome): string {
  if (outcome.responses.length === 1) return outcome.responses[0]!.content;
  return outcome.responses.map((r) => `--- ${r.target.type}/${r.target.name} ---\n${r.content}`).join("\n\n");
}
