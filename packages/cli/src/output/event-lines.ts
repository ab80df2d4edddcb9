/** What a query event means for a person watching: a permanent line, a new spinner status, or nothing. */
export interface EventView {
  line?: string;
  status?: string;
}

type Event = { type: string; [key: string]: unknown };

const MAX_ARGS = 120;

export function describeEvent(event: Event): EventView {
  switch (event.type) {
    case "query.started":
      return { status: "starting" };
    case "target.started":
      return { line: `▶ ${targetText(event.target)}`, status: `${targetText(event.target)} is working` };
    case "llm.call.started":
      return { status: `${who(event)}thinking (${String(event.model)})` };
    case "content.delta":
      return { status: `${who(event)}answering` };
    case "tool.call.started":
      return { line: `  ⚙ ${who(event)}calls ${String(event.toolName)}(${shorten(String(event.arguments ?? ""), MAX_ARGS)})`, status: `running tool ${String(event.toolName)}` };
    case "tool.call.completed":
      return event.isError
        ? { line: `  ✗ ${String(event.toolName)} failed: ${shorten(String(event.error ?? event.result ?? ""), MAX_ARGS)}` }
        : { line: `  ✓ ${String(event.toolName)} (${durationText(event.durationMs)}) → ${shorten(String(event.result ?? ""), MAX_ARGS)}` };
    case "tool.approval.requested": {
      const calls = (Array.isArray(event.toolCalls) ? event.toolCalls : []) as Array<{ name?: string; arguments?: string }>;
      const what = calls.map((c) => `${c.name ?? "?"}(${shorten(c.arguments ?? "", MAX_ARGS)})`).join(", ");
      const name = String(event.request);
      return { line: `  ⏸ waiting for approval of ${what}: ark approvals approve ${name} | ark approvals reject ${name} --reason …`, status: "waiting for approval" };
    }
    case "team.turn":
      return { line: `  ↻ team ${String(event.team)} turn ${String(event.turn)}` };
    case "team.member.selected": {
      const member = event.member as { type?: string; name?: string } | undefined;
      return { line: `  → team ${String(event.team)} hands over to ${member?.type ?? "member"} ${member?.name ?? "?"}`, status: `${member?.name ?? "member"} is working` };
    }
    case "llm.call.failed":
      return { line: `  ! model call failed: ${String(event.message)}` };
    case "target.completed":
      return { line: `✔ ${targetText(event.target)} answered (${durationText(event.durationMs)})` };
    case "target.failed":
      return { line: `✗ ${targetText(event.target)} failed: ${String(event.message)}` };
    default:
      return {};
  }
}

function targetText(target: unknown): string {
  const t = target as { type?: string; name?: string } | undefined;
  return t ? `${t.type ?? "target"} ${t.name ?? "?"}` : "target";
}

function who(event: Event): string {
  return typeof event.agent === "string" ? `${event.agent.split("/").pop()} ` : "";
}

export function durationText(ms: unknown): string {
  if (typeof ms !== "number") return "?";
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function shorten(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
