import type { QueryStatus } from "@ark/types";
import { Badge } from "./states.js";

type TokenUsage = NonNullable<QueryStatus["tokenUsage"]>;

function tokens(usage: TokenUsage | undefined): string {
  if (!usage) return "—";
  const parts = [usage.promptTokens !== undefined && `${usage.promptTokens} prompt`, usage.completionTokens !== undefined && `${usage.completionTokens} completion`].filter(Boolean);
  return `${usage.totalTokens ?? (usage.promptTokens ?? 0) + (usage.completionTokens ?? 0)}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/** A query's outcome: phase, input, tokens, duration, responses and errors per target, evaluations. */
export function QuerySummary({ input, status }: { input: string; status: QueryStatus | undefined }) {
  const responses = status?.responses ?? (status?.response ? [status.response] : []);
  const evaluations = status?.evaluations ?? [];
  return (
    <>
      <dl className="facts">
        <dt>Phase</dt>
        <dd>
          <Badge value={status?.phase ?? "pending"} />
        </dd>
        <dt>Input</dt>
        <dd className="pre">{input}</dd>
        {status?.message && (
          <>
            <dt>Message</dt>
            <dd>{status.message}</dd>
          </>
        )}
        <dt>Tokens</dt>
        <dd data-fact="tokens">{tokens(status?.tokenUsage)}</dd>
        {status?.evaluationTokenUsage && (
          <>
            <dt>Evaluation tokens</dt>
            <dd data-fact="evaluation-tokens">{tokens(status.evaluationTokenUsage)}</dd>
          </>
        )}
        <dt>Duration</dt>
        <dd data-fact="duration">{status?.duration ?? "—"}</dd>
      </dl>
      {(responses.length > 0 || (status?.errors ?? []).length > 0) && (
        <section aria-label="Responses">
          <h2>Responses</h2>
          {responses.map((r, i) => (
            <div key={`ok-${i}`} className="card response">
              <span className="muted">
                {r.target.type}/{r.target.name}
              </span>
              <p className="pre">{r.content}</p>
            </div>
          ))}
          {(status?.errors ?? []).map((e, i) => (
            <div key={`err-${i}`} className="card response error">
              <span className="muted">
                {e.target.type}/{e.target.name}
              </span>
              <p>{e.message}</p>
            </div>
          ))}
        </section>
      )}
      <section aria-label="Evaluations">
        <h2>Evaluations</h2>
        {evaluations.length === 0 ? (
          <p className="muted">No evaluations: add evaluators to the query (spec.evaluators) to have its answer judged.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Evaluator</th>
                <th>Score</th>
                <th>Result</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {evaluations.map((e) => (
                <tr key={e.evaluatorName} data-evaluator={e.evaluatorName}>
                  <td>{e.evaluatorName}</td>
                  <td>{e.score ?? "—"}</td>
                  <td>
                    <Badge value={e.passed === undefined ? "pending" : e.passed ? "passed" : "failed"} />
                  </td>
                  <td className="pre">
                    {Object.entries(e.metadata ?? {})
                      .map(([k, v]) => `${k}: ${v}`)
                      .join("\n")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
