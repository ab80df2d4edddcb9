import { EVALUATOR_TOKEN_AUDIENCE, namespaceToken } from "@ark/service-kit";
import { defaultEgressGuard, sanitizeRemoteText, type EgressGuard } from "@ark/engine";
import { EvaluatorResponse, type QueryEvaluationRequest, type UnifiedEvaluationRequest } from "@ark/types";

/** How the controller reaches evaluators: which addresses it may call, and the secret its bearer tokens are minted with. */
export interface EvaluatorCaller {
  egress?: EgressGuard;
  /** EVALUATOR_AUTH_SECRET: each call carries a namespace token for the namespace judged (evaluator-llm checks it). */
  authSecret?: string;
}

export interface EvaluatorTarget {
  /** `<namespace>/<name>` of the Evaluator, for messages. */
  name: string;
  address: string;
}

/** Longest excerpt of an evaluator's answer a message quotes. */
const EXCERPT_MAX = 300;

/**
 * POSTs the contract's request to exactly the evaluator's address (docs/upstream-compat.md §10.3) and returns its
 * answer, parsed with the contract. Throws an Error naming the evaluator for everything else: unreachable, a
 * non-200 answer, a timeout, an answer that is not an evaluator response (a score outside 0..1 included), or an
 * answer carrying `error`.
 */
export async function callEvaluator(
  caller: EvaluatorCaller,
  evaluator: EvaluatorTarget,
  body: UnifiedEvaluationRequest | QueryEvaluationRequest,
  /** The namespace of the Evaluation or Query judged: the token opens that namespace only. */
  namespace: string,
  signal: AbortSignal,
): Promise<EvaluatorResponse> {
  const egress = caller.egress ?? defaultEgressGuard;
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", "user-agent": "ark-controller" };
  const token = caller.authSecret ? namespaceToken(caller.authSecret, EVALUATOR_TOKEN_AUDIENCE, namespace) : "";
  if (token) headers.authorization = `Bearer ${token}`;
  const who = `evaluator ${evaluator.name} at ${evaluator.address}`;
  let response: Response;
  let text: string;
  try {
    response = await egress.fetch(evaluator.address, { method: "POST", headers, body: JSON.stringify(body), signal });
    text = await response.text();
  } catch (error) {
    if (signal.aborted) throw new Error(`${who} did not answer in time`);
    throw new Error(`${who} is not reachable: ${reasonOf(error)}`);
  }
  const excerpt = sanitizeRemoteText(text, { max: EXCERPT_MAX, secrets: [token] });
  if (response.status !== 200) throw new Error(`${who} answered HTTP ${response.status}: ${excerpt || "(empty body)"}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${who} answered something that is not JSON: ${excerpt || "(empty body)"}`);
  }
  const parsed = EvaluatorResponse.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "the answer";
    throw new Error(`${who} answered something that is not an evaluator response (${field}: ${issue?.message ?? "invalid"}): ${excerpt}`);
  }
  if (parsed.data.error) throw new Error(`${who} failed: ${sanitizeRemoteText(parsed.data.error, { max: 2000, secrets: [token] })}`);
  return parsed.data;
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
