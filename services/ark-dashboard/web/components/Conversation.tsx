/** A message of a memory session, as the memory stores it (OpenAI chat format). */
export interface MemoryMessage {
  role?: string;
  content?: unknown;
  name?: string;
  tool_call_id?: string;
  tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === "object" && part && "text" in part ? String((part as { text: unknown }).text) : "")).join("");
  return content === undefined || content === null ? "" : JSON.stringify(content);
}

/** A session's conversation: user and assistant turns, the assistant's tool calls with their arguments, tool results, system prompts. */
export function Conversation({ messages }: { messages: readonly MemoryMessage[] }) {
  if (messages.length === 0) return <p className="muted">This session has no messages.</p>;
  return (
    <ol className="conversation" aria-label="Conversation">
      {messages.map((message, i) => {
        const role = message.role ?? "unknown";
        return (
          <li key={i} className={`message ${role}`} data-role={role}>
            <span className="muted small">
              {role}
              {message.name ? ` · ${message.name}` : ""}
              {message.tool_call_id ? ` · result of ${message.tool_call_id}` : ""}
            </span>
            {text(message.content) && <div className={`bubble ${role === "user" ? "user" : "assistant"}`}>{text(message.content)}</div>}
            {(message.tool_calls ?? []).map((call, j) => (
              <div key={j} className="tool-call card" data-tool={call.function?.name}>
                <strong>{call.function?.name ?? "tool"}</strong> <span className="muted small">{call.id}</span>
                <pre>{call.function?.arguments ?? ""}</pre>
              </div>
            ))}
          </li>
        );
      })}
    </ol>
  );
}
