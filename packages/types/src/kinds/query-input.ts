import type { FieldError } from "./definition.js";
import { invalid, required, unsupported } from "../admission/field-errors.js";

/**
 * A Query's `spec.input`: a string (`type: user`, the default) or an OpenAI-style message array (`type: messages`),
 * as upstream (docs/upstream-compat.md §6.2). Stored as the user wrote it; the CRD keeps it schemaless.
 */
export const QUERY_INPUT_TYPES = ["user", "messages"] as const;
export type QueryInputType = (typeof QUERY_INPUT_TYPES)[number];

export interface QueryMessageTextPart {
  type: "text";
  text: string;
}
export type QueryMessageContent = string | QueryMessageTextPart[];

export interface QueryMessageToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type QueryMessage =
  | { role: "system" | "developer"; content: QueryMessageContent; name?: string }
  | { role: "user"; content: QueryMessageContent; name?: string }
  | { role: "assistant"; content?: QueryMessageContent | null; tool_calls?: QueryMessageToolCall[]; name?: string }
  | { role: "tool"; content: QueryMessageContent; tool_call_id: string };

export type QueryInput = string | QueryMessage[];

const ROLES = ["system", "developer", "user", "assistant", "tool"] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The text of a message's content: the string, or its text parts joined. */
export function queryMessageText(content: QueryMessageContent | null | undefined): string {
  if (content === null || content === undefined) return "";
  return typeof content === "string" ? content : content.map((p) => p.text).join("");
}

/**
 * The input as one text, for whoever shows or judges a query (lists, evaluators, summaries): the string, or the
 * text of the last user message of a message input.
 */
export function queryInputText(spec: { input: QueryInput }): string {
  if (typeof spec.input === "string") return spec.input;
  if (!Array.isArray(spec.input)) return "";
  for (let i = spec.input.length - 1; i >= 0; i--) {
    const message = spec.input[i]!;
    if (message.role === "user") return queryMessageText(message.content);
  }
  return "";
}

function checkContent(content: unknown, at: string, optional: boolean): FieldError[] {
  if (content === undefined || content === null) return optional ? [] : [required(at, "content is required")];
  if (typeof content === "string") return [];
  if (!Array.isArray(content)) return [invalid(at, undefined, "content must be a string or an array of text parts")];
  return content.flatMap((part, j): FieldError[] => {
    const p = `${at}[${j}]`;
    if (!isObject(part)) return [invalid(p, undefined, "a content part must be an object")];
    if (part.type !== "text") return [unsupported(`${p}.type`, part.type, 'supported content part types: "text"')];
    return typeof part.text === "string" ? [] : [required(`${p}.text`, "a text part needs text")];
  });
}

function checkToolCalls(calls: unknown, at: string): FieldError[] {
  if (calls === undefined) return [];
  if (!Array.isArray(calls)) return [invalid(at, undefined, "tool_calls must be an array")];
  return calls.flatMap((call, j): FieldError[] => {
    const p = `${at}[${j}]`;
    if (!isObject(call)) return [invalid(p, undefined, "a tool call must be an object")];
    const errors: FieldError[] = [];
    if (typeof call.id !== "string" || !call.id) errors.push(required(`${p}.id`, "a tool call needs an id"));
    if (call.type !== undefined && call.type !== "function") errors.push(unsupported(`${p}.type`, call.type, 'supported tool call types: "function"'));
    const fn = call.function;
    if (!isObject(fn)) errors.push(required(`${p}.function`, "a tool call needs a function {name, arguments}"));
    else {
      if (typeof fn.name !== "string" || !fn.name) errors.push(required(`${p}.function.name`, "the function's name is required"));
      if (fn.arguments !== undefined && typeof fn.arguments !== "string") {
        errors.push(invalid(`${p}.function.arguments`, undefined, "arguments must be a JSON text (a string)"));
      }
    }
    return errors;
  });
}

function checkMessage(message: unknown, at: string): FieldError[] {
  if (!isObject(message)) return [invalid(at, undefined, "a message must be an object with a role")];
  const role = message.role;
  if (typeof role !== "string" || !(ROLES as readonly string[]).includes(role)) {
    return [role === undefined ? required(`${at}.role`, "role is required") : unsupported(`${at}.role`, role, `supported roles: ${ROLES.join(", ")}`)];
  }
  const errors: FieldError[] = [];
  if (role === "assistant") {
    errors.push(...checkContent(message.content, `${at}.content`, true), ...checkToolCalls(message.tool_calls, `${at}.tool_calls`));
    const hasCalls = Array.isArray(message.tool_calls) && message.tool_calls.length > 0;
    if (!hasCalls && (message.content === undefined || message.content === null)) {
      errors.push(required(`${at}.content`, "an assistant message needs content or tool_calls"));
    }
  } else {
    errors.push(...checkContent(message.content, `${at}.content`, false));
    if (message.tool_calls !== undefined) errors.push(invalid(`${at}.tool_calls`, undefined, "only assistant messages have tool_calls"));
  }
  if (role === "tool" && (typeof message.tool_call_id !== "string" || !message.tool_call_id)) {
    errors.push(required(`${at}.tool_call_id`, "a tool message needs the tool_call_id it answers"));
  }
  return errors;
}

/** spec.input against spec.type: a non-empty string for user, a message array ending with a user message for messages. */
export function checkQueryInput(type: QueryInputType | undefined, input: unknown): FieldError[] {
  if (type === "messages") {
    if (!Array.isArray(input)) return [invalid("spec.input", undefined, "with type messages, input must be an array of messages")];
    if (input.length === 0) return [required("spec.input", "with type messages, input needs at least one message")];
    const errors = input.flatMap((m, i) => checkMessage(m, `spec.input[${i}]`));
    const last = input.length - 1;
    const lastMessage: unknown = input[last];
    if (errors.length === 0 && isObject(lastMessage) && lastMessage.role !== "user") {
      errors.push(invalid(`spec.input[${last}].role`, lastMessage.role, "the last message must be a user message: it is the turn the target answers"));
    }
    return errors;
  }
  if (typeof input !== "string") {
    return [invalid("spec.input", undefined, Array.isArray(input) ? "a message array needs spec.type: messages" : "input must be a string")];
  }
  // As the older CRD's minLength said it.
  return input === "" ? [invalid("spec.input", "", "should be at least 1 chars long")] : [];
}
