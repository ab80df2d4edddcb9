import { queryInputText, STREAMING_ANNOTATION, type QueryInput } from "@ark/types";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiGet, apiSend } from "../api.js";
import { EventTimeline } from "../components/EventTimeline.js";
import { ErrorBox } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import { useQueryEvents } from "../query-events.js";
import { Link, navigate, useLocation } from "../router.js";

interface QueryDetail {
  name: string;
  input: QueryInput;
  status?: { phase?: string; message?: string; response?: { content: string; phase?: string }; responses?: Array<{ content: string }> };
}

const TRANSCRIPT_PREFIX = "ark.chat.";

function randomId(): string {
  return crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), "");
}

/** The queries of a chat session, oldest first (kept in localStorage so a reload shows the conversation). */
function transcript(session: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(TRANSCRIPT_PREFIX + session) ?? "[]") as string[];
  } catch {
    return [];
  }
}

/** Chat with an agent, team or model: each message is a Query in the session; its answer streams from the query's events. */
export function Chat() {
  const namespace = useNamespace();
  const { search } = useLocation();
  const target = search.get("target") ?? "";
  const session = search.get("session") ?? "";
  const base = `/v1/namespaces/${encodeURIComponent(namespace)}`;
  const agents = useApi<{ items: Array<{ name: string }> }>(`${base}/agents`);
  const teams = useApi<{ items: Array<{ name: string }> }>(`${base}/teams`);
  const models = useApi<{ items: Array<{ name: string }> }>(`${base}/models`);
  const [turns, setTurns] = useState<string[]>(() => (session ? transcript(session) : []));
  const [message, setMessage] = useState("");
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);

  // A chat always has a session: made on first visit and kept in the URL.
  useEffect(() => {
    if (!session) navigate(`/chat?${new URLSearchParams({ ...(target ? { target } : {}), session: randomId() })}`, true);
  }, [session, target]);
  useEffect(() => setTurns(session ? transcript(session) : []), [session]);

  // Picking the first target keeps a session opened from elsewhere (a memory session's "Continue in chat"); switching targets starts a new one.
  const choose = (value: string) => navigate(`/chat?${new URLSearchParams({ target: value, session: target || !session ? randomId() : session })}`);
  const send = async (event: FormEvent) => {
    event.preventDefault();
    const text = message.trim();
    const [type, ...rest] = target.split("/");
    if (!text || !type || rest.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const name = `chat-${randomId()}`.slice(0, 63);
      await apiSend("POST", `${base}/queries`, {
        name,
        input: text,
        target: { type, name: rest.join("/") },
        sessionId: session,
        // The worker streams the model's answer as content.delta events only when asked.
        annotations: { [STREAMING_ANNOTATION]: "true" },
      });
      const next = [...turns, name];
      localStorage.setItem(TRANSCRIPT_PREFIX + session, JSON.stringify(next));
      setTurns(next);
      setMessage("");
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
      input.current?.focus();
    }
  };

  const options = [...(agents.data?.items ?? []).map((a) => `agent/${a.name}`), ...(teams.data?.items ?? []).map((t) => `team/${t.name}`), ...(models.data?.items ?? []).map((m) => `model/${m.name}`)];
  const loaded = agents.data && teams.data && models.data;
  return (
    <>
      <div className="page-head">
        <h1>Chat</h1>
        <label>
          With{" "}
          <select aria-label="Chat target" value={target} onChange={(e) => choose(e.target.value)}>
            <option value="">choose an agent, team or model…</option>
            {options.map((o) => (
              <option key={o}>{o}</option>
            ))}
            {target && !options.includes(target) && <option>{target}</option>}
          </select>
        </label>
        <span className="spacer" />
        {target && (
          <button type="button" className="secondary" onClick={() => choose(target)}>
            New session
          </button>
        )}
      </div>
      {(agents.error ?? teams.error ?? models.error) && <ErrorBox error={(agents.error ?? teams.error ?? models.error)!} />}
      {loaded && options.length === 0 && (
        <p className="empty muted">
          Nothing to chat with in namespace {namespace}: add a <Link to="/models">model</Link> and an <Link to="/agents/new">agent</Link>.
        </p>
      )}
      <p className="muted small">Session {session}</p>
      <div className="chat" aria-live="polite">
        {turns.map((name, i) => (
          <Turn key={name} namespace={namespace} name={name} live={i === turns.length - 1} />
        ))}
      </div>
      {error && <ErrorBox error={error} />}
      <form className="composer" onSubmit={send}>
        <textarea
          ref={input}
          aria-label="Message"
          rows={2}
          placeholder={target ? `Message ${target}… (Enter sends, Shift+Enter new line)` : "Choose whom to chat with first"}
          disabled={!target}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <button type="submit" disabled={!target || busy || !message.trim()}>
          Send
        </button>
      </form>
    </>
  );
}

/** One exchange: the message, then the answer streaming in (tool calls and hand-offs as they happen). */
function Turn({ namespace, name, live }: { namespace: string; name: string; live: boolean }) {
  const path = `/v1/namespaces/${encodeURIComponent(namespace)}/queries/${encodeURIComponent(name)}`;
  const [detail, setDetail] = useState<QueryDetail>();
  const [missing, setMissing] = useState<Error>();
  const [showSteps, setShowSteps] = useState(false);
  const events = useQueryEvents(namespace, live || showSteps ? name : undefined);
  useEffect(() => {
    apiGet<QueryDetail>(path).then(setDetail, setMissing);
  }, [path, events.ended]);

  const streamed = events.events.flatMap((e) => (e.type === "content.delta" ? [e.chunk] : [])).join("");
  const terminal = events.events.find((e) => e.type === "query.completed" || e.type === "query.failed" || e.type === "query.canceled");
  const final = terminal?.type === "query.completed" ? terminal.responses.map((r) => r.content).join("\n\n") : undefined;
  // status.response also holds a single target's error (phase error): the answer is only a done one.
  const answered = detail?.status?.response?.phase === "error" ? undefined : detail?.status?.response?.content;
  const stored = answered ?? detail?.status?.responses?.map((r) => r.content).join("\n\n");
  const answer = final ?? (streamed || stored || "");
  const phase = terminal ? terminal.type.replace("query.", "") : (detail?.status?.phase ?? "pending");
  const running = !terminal && !["done", "error", "canceled"].includes(detail?.status?.phase ?? "");
  const tools = events.events.filter((e) => e.type === "tool.call.started" || e.type === "team.member.selected");
  const failure = terminal?.type === "query.failed" ? terminal.message : detail?.status?.phase === "error" ? detail.status.message : undefined;

  if (missing)
    return (
      <p className="muted">
        Message {name} is gone: {missing.message}
      </p>
    );
  return (
    <div className="turn" data-query={name}>
      <div className="bubble user">{detail ? queryInputText(detail) : "…"}</div>
      {tools.length > 0 && (
        <ul className="steps">
          {tools.map((e, i) =>
            e.type === "tool.call.started" ? (
              <li key={i} className="step tool">
                Tool call <code>{e.toolName}</code> <code className="args">{e.arguments}</code>
                {events.events.some((c) => c.type === "tool.call.completed" && c.toolCallId === e.toolCallId) ? " ✓" : " …"}
              </li>
            ) : e.type === "team.member.selected" ? (
              <li key={i} className="step turn-step">
                {e.team} → {e.member.type}/{e.member.name}
              </li>
            ) : null,
          )}
        </ul>
      )}
      <div className={`bubble assistant${running ? " streaming" : ""}`} data-phase={phase}>
        {answer || (running ? <span className="muted">thinking…</span> : null)}
        {failure && <p className="error-text">{failure}</p>}
        {phase === "canceled" && <p className="muted">Canceled.</p>}
      </div>
      <div className="turn-actions">
        {running && (
          <button type="button" className="secondary small" onClick={() => void apiSend("PATCH", `${path}/cancel`).catch(setMissing)}>
            Cancel
          </button>
        )}
        <Link to={`/queries/${encodeURIComponent(name)}`} className="small">
          Query {name}
        </Link>
        {!live && (
          <button type="button" className="ghost small" onClick={() => setShowSteps((s) => !s)}>
            {showSteps ? "Hide steps" : "Steps"}
          </button>
        )}
      </div>
      {showSteps && <EventTimeline events={events.events} />}
    </div>
  );
}
