import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServerCallContext } from "@a2a-js/sdk/server";
import { DATABASE_RETRY_AFTER_SECONDS, type DatabaseOutage } from "@ark/service-kit";

// The SDK answers a failed task-store call itself (JSON-RPC error at 200, HTTP+JSON 500). While the task database is
// unreachable the caller should get 503 with Retry-After instead (as every ARK service answers, docs/architecture.md),
// so the store marks the request and its error answer is rewritten on the way out.

interface RequestState {
  databaseUnavailable: boolean;
}

const byRequest = new WeakMap<IncomingMessage, RequestState>();
const byCaller = new WeakMap<object, RequestState>();

const MESSAGE = "the task database is unavailable, retry later";

/** Serves `request` so that an error answer after the task store found the database unreachable is a 503 with Retry-After. */
export function answerDatabaseOutage(request: IncomingMessage, response: ServerResponse): void {
  const state: RequestState = { databaseUnavailable: false };
  byRequest.set(request, state);
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    const body = state.databaseUnavailable && !response.headersSent ? unavailableBody(args[0]) : undefined;
    if (body === undefined) return end(...args);
    response.statusCode = 503;
    response.setHeader("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
    response.setHeader("content-length", Buffer.byteLength(body));
    return end(body);
  }) as ServerResponse["end"];
}

/** The SDK's caller for `request` (from the UserBuilder): store calls made for it find the request by it. */
export function linkCaller<U extends object>(request: IncomingMessage, caller: U): U {
  const state = byRequest.get(request);
  if (state) byCaller.set(caller, state);
  return caller;
}

/** Whether a task-store error means the database is unreachable (the outage is noted and the request marked). */
export function noteStoreFailure(outage: DatabaseOutage, context: ServerCallContext | undefined, err: unknown): boolean {
  if (!outage.noteFailure(err)) return false;
  const state = context?.user ? byCaller.get(context.user) : undefined;
  if (state) state.databaseUnavailable = true;
  return true;
}

/** The SDK's error answer (JSON-RPC or HTTP+JSON) as the 503's body; undefined for anything else (a result goes out as is). */
function unavailableBody(chunk: unknown): string | undefined {
  if (typeof chunk !== "string" && !Buffer.isBuffer(chunk)) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(chunk.toString());
  } catch {
    return undefined;
  }
  if (!body || typeof body !== "object" || !("error" in body) || !body.error || typeof body.error !== "object") return undefined;
  const error = body.error as Record<string, unknown>;
  error.message = MESSAGE;
  if (!("jsonrpc" in body)) Object.assign(error, { code: 503, status: "UNAVAILABLE" });
  return JSON.stringify(body);
}
