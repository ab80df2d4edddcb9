import { ArkError } from "@ark/service-kit";
import type { QueryTarget } from "@ark/types";
import { z } from "zod";

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

export const ChatMessage = z.looseObject({
  role: z.string().min(1),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
  name: z.string().optional(),
});

export const ChatCompletionRequest = z.looseObject({
  model: z.string().min(1).describe("agent/<name>, team/<name>, model/<name> or tool/<name>."),
  messages: z.array(ChatMessage).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().nullish(),
  max_tokens: z.number().nullish(),
});
export type ChatCompletionRequest = z.output<typeof ChatCompletionRequest>;
type ChatMessage = z.output<typeof ChatMessage>;

const TARGET_TYPES = new Set(["agent", "team", "model", "tool"]);

/** `agent/weather` → the query target it names. */
export function parseModelTarget(model: string): QueryTarget {
  const slash = model.indexOf("/");
  const type = model.slice(0, slash);
  const name = model.slice(slash + 1);
  if (slash < 0 || !TARGET_TYPES.has(type) || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) {
    throw new ArkError("INVALID_INPUT", "Model must be in format 'agent/<name>', 'team/<name>', 'model/<name>', or 'tool/<name>'");
  }
  return { type: type as QueryTarget["type"], name };
}

/** The query input: a lone user message as it is, a conversation as `role: content` lines. */
export function renderMessages(messages: ChatMessage[]): string {
  const texts = messages.map((m) => ({ role: m.role, text: contentText(m.content) }));
  const only = texts[0];
  if (texts.length === 1 && only && only.role === "user") return only.text;
  return texts.map((m) => `${m.role}: ${m.text}`).join("\n");
}

function contentText(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.map((part) => part.text ?? "").join("");
}
