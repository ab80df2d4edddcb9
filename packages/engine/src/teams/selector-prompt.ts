import type { ChatMessage } from "../messages.js";
import type { TeamMember } from "./member.js";
import type { SelectionReason } from "./team-run.js";

export const DEFAULT_SELECTOR_PROMPT = `You are in a role play game. The following roles are available:
{{.Roles}}.
Read the following conversation. Then select the next role from {{.Participants}} to play. Only return the role.

{{.History}}

Read the above conversation. Then select the next role from {{.Participants}} to play. Only return the role.`;

export const SELECTOR_USER_MESSAGE = "Select the next participant to respond.";

/** Added to the selector prompt when `spec.selector.enableTerminateTool` is set without a `terminatePrompt`. */
export const DEFAULT_TERMINATE_PROMPT = "If the conversation has reached its goal and no participant needs to speak again, call the terminate tool with a short final response instead of naming a role.";

/** The template data of docs/upstream-compat.md §6.6: roles with descriptions, participant names, the conversation as text. */
export function selectorPromptData(members: readonly TeamMember[], transcript: readonly ChatMessage[]): Record<string, string> {
  return {
    Roles: members.map((m) => (m.description ? `${m.name}: ${m.description}` : m.name)).join(", "),
    Participants: members.map((m) => m.name).join(", "),
    History: transcript.flatMap(historyEntry).join("\n"),
  };
}

function historyEntry(message: ChatMessage): string[] {
  if (message.role === "user") return [`# ${message.name ?? "user"}:\n${message.content}\n`];
  if (message.role === "assistant" && message.content) return [`# ${message.name ?? "assistant"}:\n${message.content}\n`];
  return [];
}

/**
 * The member the selector's answer names: an exact name, else (fallback) a member the answer mentions,
 * else the one after the previous member; a fallback never repeats the previous member when another exists.
 */
export function chooseMember(answer: string, members: readonly TeamMember[], previous: TeamMember | undefined): { member: TeamMember; reason: SelectionReason } {
  const trimmed = answer.trim();
  const exact = members.find((m) => m.name === trimmed);
  if (exact) return { member: exact, reason: "exact_match" };
  const candidates = previous && members.length > 1 ? members.filter((m) => m !== previous) : members;
  const mentioned = mentionedMember(trimmed, candidates);
  if (mentioned) return { member: mentioned, reason: "fallback" };
  const after = previous ? members[(members.indexOf(previous) + 1) % members.length]! : members[0]!;
  return { member: after, reason: "fallback" };
}

function mentionedMember(answer: string, candidates: readonly TeamMember[]): TeamMember | undefined {
  const text = answer.toLowerCase();
  const byLength = [...candidates].sort((a, b) => b.name.length - a.name.length);
  return byLength.find((m) => {
    const escaped = m.name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(^|[^a-z0-9_-])${escaped}($|[^a-z0-9_-])`).test(text);
  });
}
