import type { SessionView } from "@ark/types";
import { useState } from "react";
import { apiSend } from "../api.js";
import { Conversation, type MemoryMessage } from "../components/Conversation.js";
import { Empty, ErrorBox, Loading } from "../components/states.js";
import { useApi, useNamespace } from "../hooks.js";
import { Link, navigate } from "../router.js";
import { PageTitle } from "../components/PageTitle.js";

const sessionsPath = (namespace: string) => `/v1/namespaces/${encodeURIComponent(namespace)}/sessions`;
const memoryQuery = (memory: string | undefined) => (memory ? `?memory=${encodeURIComponent(memory)}` : "");
const sessionLink = (s: SessionView) => `/sessions/${encodeURIComponent(s.sessionId)}?memory=${encodeURIComponent(s.memoryName)}`;

/** The sessions of the namespace's memories (or of one), newest first; memories that could not be read are named. */
export function SessionList({ memory }: { memory?: string }) {
  const namespace = useNamespace();
  const list = useApi<{ items: SessionView[]; unavailable?: Array<{ memoryName: string; message: string }> }>(`${sessionsPath(namespace)}${memoryQuery(memory)}`);
  const items = [...(list.data?.items ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <section aria-label="Sessions">
      {list.loading && !list.data && <Loading what="sessions" />}
      {list.error && <ErrorBox error={list.error} title="Sessions" />}
      {(list.data?.unavailable ?? []).map((u) => (
        <div key={u.memoryName} className="error" role="alert">
          <strong>Memory {u.memoryName}:</strong> {u.message}
        </div>
      ))}
      {list.data && items.length === 0 && (
        <Empty title="No sessions">
          A session is kept when a query runs with a memory: start one from <Link to="/chat">Chat</Link>.
        </Empty>
      )}
      {items.length > 0 && (
        <table aria-label="Sessions">
          <thead>
            <tr>
              <th>Session</th>
              <th>Memory</th>
              <th>Messages</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={`${s.memoryName}/${s.sessionId}`} data-session={s.sessionId}>
                <td>
                  <Link to={sessionLink(s)}>{s.sessionId}</Link>
                </td>
                <td>{s.memoryName}</td>
                <td>{s.messageCount}</td>
                <td>{new Date(s.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function SessionsPage() {
  return (
    <>
      <h1>Sessions</h1>
      <SessionList />
    </>
  );
}

/** One session: its conversation, a link to go on chatting in it, delete with confirmation. */
export function SessionDetail({ id, memory }: { id: string; memory?: string }) {
  const namespace = useNamespace();
  const path = `${sessionsPath(namespace)}/${encodeURIComponent(id)}${memoryQuery(memory)}`;
  const session = useApi<SessionView & { messages: MemoryMessage[] }>(path);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<Error>();
  const remove = () =>
    apiSend("DELETE", path).then(
      () => navigate(memory ? `/memories/${encodeURIComponent(memory)}` : "/sessions"),
      (err: Error) => setError(err),
    );
  return (
    <>
      <div className="page-head">
        <PageTitle to="/sessions" parent="Sessions">
          {id}
        </PageTitle>
        <span className="spacer" />
        <Link to={`/chat?session=${encodeURIComponent(id)}`} className="button secondary">
          Continue in chat
        </Link>
        {!confirming ? (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Delete
          </button>
        ) : (
          <div role="alertdialog" aria-label={`Delete session ${id}?`} className="confirm">
            <span>Delete the session and its messages?</span>
            <button type="button" className="danger" onClick={remove} autoFocus>
              Delete session
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        )}
      </div>
      {error && <ErrorBox error={error} />}
      {session.loading && !session.data && <Loading what={`session ${id}`} />}
      {session.error && <ErrorBox error={session.error} title={`Session ${id}`} />}
      {session.data && (
        <>
          <p className="muted">
            Memory <Link to={`/memories/${encodeURIComponent(session.data.memoryName)}`}>{session.data.memoryName}</Link>, {session.data.messageCount} messages, updated {new Date(session.data.updatedAt).toLocaleString()}
          </p>
          <Conversation messages={session.data.messages} />
        </>
      )}
    </>
  );
}
