import { useState } from "react";
import type { ApprovalDecision, ToolApprovalPhase, ToolCallInfo } from "@ark/types";
import { apiSend, ApiError } from "../api.js";
import { Field } from "../components/Field.js";
import { Badge, Empty, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import { Link } from "../router.js";

/** A ToolApprovalRequest as ark-api shows it (GET /v1/namespaces/{ns}/tool-approvals). */
interface ToolApprovalView {
  name: string;
  query: string;
  phase: ToolApprovalPhase;
  toolCalls: ToolCallInfo[];
  timeout?: string;
  onTimeout: "reject" | "proceed";
  reasonRequired: boolean;
  requestedAt?: string;
  decision?: ApprovalDecision;
  createdAt?: string;
}

const approvalsPath = (namespace: string) => `/v1/namespaces/${encodeURIComponent(namespace)}/tool-approvals`;
const approvalLink = (name: string) => `/tool-approvals/${encodeURIComponent(name)}`;

const PHASES: Array<ToolApprovalPhase | ""> = ["pending", "approved", "rejected", "expired", ""];

/** The namespace's approval requests (pending first by default), each decided in place. */
export function ToolApprovalsPage() {
  const namespace = useNamespace();
  const [phase, setPhase] = useState<ToolApprovalPhase | "">("pending");
  const list = useApi<{ items: ToolApprovalView[] }>(`${approvalsPath(namespace)}${phase ? `?phase=${phase}` : ""}`, 3_000);
  const items = [...(list.data?.items ?? [])].sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
  return (
    <>
      <div className="page-head">
        <h1>Tool approvals</h1>
        <span className="spacer" />
        <label>
          Phase{" "}
          <select aria-label="Phase" value={phase} onChange={(e) => setPhase(e.target.value as ToolApprovalPhase | "")}>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {p || "all"}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list.loading && !list.data && <Loading what="tool approvals" />}
      {list.error && <ErrorBox error={list.error} title="Tool approvals" />}
      {list.data && items.length === 0 && (
        <Empty title={phase ? `No ${phase} tool approvals` : "No tool approvals"}>
          A query asks here before it runs a Tool with <code>spec.approval.required: true</code>; its run waits until the call is approved or rejected.
        </Empty>
      )}
      {items.map((item) => (
        <ApprovalCard key={item.name} item={item} onDecided={list.reload} />
      ))}
    </>
  );
}

/** One request: /tool-approvals/{name}. */
export function ToolApprovalDetail({ name }: { name: string }) {
  const namespace = useNamespace();
  const item = useApi<ToolApprovalView>(`${approvalsPath(namespace)}/${encodeURIComponent(name)}`, 3_000);
  return (
    <>
      <h1>
        <Link to="/tool-approvals" className="muted">
          Tool approvals
        </Link>{" "}
        / {name}
      </h1>
      {item.loading && !item.data && <Loading what={`tool approval ${name}`} />}
      {item.error && <ErrorBox error={item.error} title={`Tool approval ${name}`} />}
      {item.data && <ApprovalCard item={item.data} onDecided={item.reload} />}
    </>
  );
}

function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function ApprovalCard({ item, onDecided }: { item: ToolApprovalView; onDecided(): void }) {
  return (
    <article className="card approval" aria-label={`Tool approval ${item.name}`} data-name={item.name} data-phase={item.phase}>
      <header className="approval-head">
        <Link to={approvalLink(item.name)}>
          <strong>{item.name}</strong>
        </Link>
        <Badge value={item.phase} />
        <span className="muted">
          query <Link to={`/queries/${encodeURIComponent(item.query)}`}>{item.query}</Link>
          {item.requestedAt && `, asked ${new Date(item.requestedAt).toLocaleString()}`}
          {item.timeout && `, ${item.onTimeout === "proceed" ? "runs" : "rejected"} after ${item.timeout} without a decision`}
        </span>
      </header>
      <ol className="approval-calls">
        {item.toolCalls.map((call) => (
          <li key={call.id} data-tool={call.name}>
            <strong>{call.name}</strong> <span className="muted">({call.type})</span>
            {call.annotations?.destructiveHint && <span className="badge bad">destructive</span>}
            {call.annotations?.readOnlyHint && <span className="badge ok">read-only</span>}
            {call.description && <p className="muted">{call.description}</p>}
            {call.agentReasoning && <blockquote>{call.agentReasoning}</blockquote>}
            <pre className="yaml" aria-label={`Arguments of ${call.name}`}>
              {prettyArguments(call.arguments)}
            </pre>
          </li>
        ))}
      </ol>
      {item.decision && (
        <p className="decision" data-action={item.decision.action}>
          <Badge value={item.decision.action} /> by <strong>{item.decision.decidedBy}</strong> {new Date(item.decision.decidedAt).toLocaleString()}
          {item.decision.reason && <>: “{item.decision.reason}”</>}
          {item.decision.arguments && (
            <>
              {" "}
              with arguments <code>{JSON.stringify(item.decision.arguments)}</code>
            </>
          )}
        </p>
      )}
      {item.phase === "pending" && <DecisionForm item={item} onDecided={onDecided} />}
    </article>
  );
}

/** Approve (an optional reason, optionally other arguments for a single call) or reject (with a reason). */
function DecisionForm({ item, onDecided }: { item: ToolApprovalView; onDecided(): void }) {
  const namespace = useNamespace();
  const single = item.toolCalls.length === 1 ? item.toolCalls[0] : undefined;
  const [reason, setReason] = useState("");
  const [args, setArgs] = useState(() => (single ? prettyArguments(single.arguments) : ""));
  const [errors, setErrors] = useState<{ reason?: string; arguments?: string }>({});
  const [failure, setFailure] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const id = (field: string) => `${item.name}-${field}`;

  const decide = async (action: "approve" | "reject") => {
    setFailure(undefined);
    const found: { reason?: string; arguments?: string } = {};
    let edited: Record<string, unknown> | undefined;
    if (action === "reject" && item.reasonRequired && !reason.trim()) found.reason = "A reason is required to reject this call";
    if (action === "approve" && single && args.trim() && args.trim() !== prettyArguments(single.arguments).trim()) {
      try {
        const parsed: unknown = JSON.parse(args);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) found.arguments = 'must be a JSON object, e.g. {"amount": 100}';
        else edited = parsed as Record<string, unknown>;
      } catch (err) {
        found.arguments = `is not JSON: ${(err as Error).message}`;
      }
    }
    setErrors(found);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const body = { ...(reason.trim() ? { reason: reason.trim() } : {}), ...(edited ? { arguments: edited } : {}) };
      await apiSend("POST", `${approvalsPath(namespace)}/${encodeURIComponent(item.name)}/${action}`, body);
      onDecided();
    } catch (err) {
      // ark-api names the body field it refuses (body.reason, body.arguments): shown at that field.
      const details = err instanceof ApiError ? err.details : [];
      const at = (field: string) => details.find((d) => d.field === `body.${field}`)?.detail;
      const fieldErrors = { ...(at("reason") ? { reason: at("reason")! } : {}), ...(at("arguments") ? { arguments: at("arguments")! } : {}) };
      setErrors(fieldErrors);
      setFailure(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form approval-form" aria-label={`Decide ${item.name}`} onSubmit={(e) => e.preventDefault()} noValidate>
      <Field id={id("reason")} label={item.reasonRequired ? "Reason (required to reject)" : "Reason"} error={errors.reason}>
        <textarea id={id("reason")} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {single && (
        <Field id={id("arguments")} label="Arguments (JSON; edit to run the call with others)" error={errors.arguments}>
          <textarea id={id("arguments")} className="yaml" rows={Math.max(3, args.split("\n").length)} spellCheck={false} value={args} onChange={(e) => setArgs(e.target.value)} />
        </Field>
      )}
      {failure && <ErrorBox error={failure} title="Not decided" />}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => decide("approve")}>
          Approve
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => decide("reject")}>
          Reject
        </button>
      </div>
    </form>
  );
}

/** On a query's page: the request its run waits on, with a link to decide it. */
export function PendingApprovals({ namespace, query }: { namespace: string; query: string }) {
  const list = useApi<{ items: ToolApprovalView[] }>(`${approvalsPath(namespace)}?phase=pending`, 3_000);
  const waiting = (list.data?.items ?? []).filter((item) => item.query === query);
  if (waiting.length === 0) return null;
  return (
    <section aria-label="Awaiting approval" className="card awaiting">
      <h2>Awaiting approval</h2>
      {waiting.map((item) => (
        <p key={item.name}>
          The run waits for a decision on {item.toolCalls.map((c) => c.name).join(", ")}: <Link to={approvalLink(item.name)}>decide {item.name}</Link>
        </p>
      ))}
    </section>
  );
}
