import { ArkError } from "@ark/service-kit";

const SESSION_ID_MAX_LENGTH = 255;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_.:@-]+$/;
const SESSION_ID_RULE = `1-${SESSION_ID_MAX_LENGTH} characters from A-Z a-z 0-9 _ - . : @, and not only dots`;

export function isValidSessionId(id: string): boolean {
  return id.length <= SESSION_ID_MAX_LENGTH && SESSION_ID_PATTERN.test(id) && !/^\.+$/.test(id);
}

/** The session id from a path, or 400 `Invalid session ID` naming the rule. */
export function parseSessionId(raw: string | undefined): string {
  const id = raw ?? "";
  if (isValidSessionId(id)) return id;
  const shown = id.length > 40 ? `${JSON.stringify(id.slice(0, 40))}… (${id.length} characters)` : JSON.stringify(id);
  throw new ArkError("INVALID_INPUT", `Invalid session ID ${shown}: a session ID is ${SESSION_ID_RULE}`, {
    details: [{ field: "params.sessionId", message: SESSION_ID_RULE }],
  });
}
