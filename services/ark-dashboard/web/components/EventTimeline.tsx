import type { QueryEvent } from "@ark/types";
import { timelineEntries, type TimelineEntry } from "./timeline.js";

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function Meta({ usage, durationMs }: { usage?: { promptTokens: number; completionTokens: number; totalTokens: number } | undefined; durationMs?: number | undefined }) {
  if (!usage && durationMs === undefined) return null;
  return (
    <span className="meta">
      {usage && (
        <span title={`${usage.promptTokens} prompt + ${usage.completionTokens} completion`}>
          {usage.totalTokens} tokens ({usage.promptTokens} in, {usage.completionTokens} out)
        </span>
      )}
      {durationMs !== undefined && <span>{formatDuration(durationMs)}</span>}
    </span>
  );
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function Entry({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case "llm":
      return (
        <li className="entry llm" data-kind="llm">
          <div className="entry-head">
            <strong>LLM call</strong> {entry.model}
            {entry.agent && <span className="muted"> for {entry.agent}</span>}
            {!entry.finished && <span className="badge neutral">streaming</span>}
            <Meta usage={entry.usage} durationMs={entry.durationMs} />
          </div>
          {entry.text && <pre className="content">{entry.text}</pre>}
          {entry.error && <p className="error-text">{entry.error}</p>}
        </li>
      );
    case "tool":
      return (
        <li className={`entry tool${entry.isError ? " failed" : ""}`} data-kind="tool">
          <div className="entry-head">
            <strong>Tool call</strong> <code>{entry.name}</code>
            {entry.agent && <span className="muted"> by {entry.agent}</span>}
            {entry.result === undefined && <span className="badge neutral">running</span>}
            {entry.isError && <span className="badge bad">error</span>}
            <Meta durationMs={entry.durationMs} />
          </div>
          <div className="tool-io">
            <div>
              <span className="label">Arguments</span>
              <pre>{prettyJson(entry.arguments)}</pre>
            </div>
            {entry.result !== undefined && (
              <div>
                <span className="label">Result</span>
                <pre>{prettyJson(entry.result)}</pre>
              </div>
            )}
          </div>
        </li>
      );
    case "query":
      return (
        <li className={`entry query${entry.failed ? " failed" : ""}`} data-kind="query">
          <div className="entry-head">
            <strong>{entry.title}</strong>
            {entry.detail && <span className="muted"> {entry.detail}</span>}
            <Meta usage={entry.usage} durationMs={entry.durationMs} />
          </div>
          {entry.responses?.map((response) => (
            <div key={response.target} className="response">
              <span className="label">Response of {response.target}</span>
              <pre className="content">{response.content}</pre>
            </div>
          ))}
        </li>
      );
    case "target":
      return (
        <li className={`entry target${entry.failed ? " failed" : ""}`} data-kind="target">
          <div className="entry-head">
            <strong>{entry.title}</strong>
            <Meta usage={entry.usage} durationMs={entry.durationMs} />
          </div>
          {entry.message && <p className="error-text">{entry.message}</p>}
        </li>
      );
    default:
      return (
        <li className={`entry ${entry.kind}`} data-kind={entry.kind}>
          <div className="entry-head">
            <strong>{entry.title}</strong>
            {"detail" in entry && entry.detail && <span className="muted"> {entry.detail}</span>}
          </div>
        </li>
      );
  }
}

/** A query's execution as it happened: turns, LLM calls with their streamed text, tool calls with arguments and results. */
export function EventTimeline({ events }: { events: readonly QueryEvent[] }) {
  const entries = timelineEntries(events);
  if (entries.length === 0) return <p className="muted">No events yet: they appear here as the query runs.</p>;
  return (
    <ol className="timeline" aria-label="Query events">
      {entries.map((entry, i) => (
        <Entry key={i} entry={entry} />
      ))}
    </ol>
  );
}
