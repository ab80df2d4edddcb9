import { ArkError } from "@ark/service-kit";

const MAX_SEGMENT_BYTES = 255;
const MAX_PATH_BYTES = 4096;

// Encoded dot, slash, backslash, NUL and percent itself (double encoding): refused, never decoded.
const ENCODED_SEPARATOR_OR_DOT = /%(2e|2f|5c|00|25)/i;
const DRIVE_LETTER = /^[a-z]:/i;
// C0 controls and DEL: never legitimate in a file name an agent asks for.
// oxlint-disable-next-line no-control-regex -- control characters are what gets refused
const CONTROL_CHARACTER = /[\u0001-\u001f\u007f]/;

function refuse(userPath: string, reason: string): never {
  throw new ArkError("FORBIDDEN", `path refused (${reason}): ${JSON.stringify(userPath)}`);
}

/**
 * Lexical checks on a path as the caller wrote it; returns its segments relative to the root ("" or "." is the root).
 * Nothing is decoded or normalised: anything that could mean "somewhere else" is refused instead.
 */
export function validateUserPath(userPath: unknown): string[] {
  if (typeof userPath !== "string") throw new ArkError("INVALID_INPUT", "path must be a string");
  if (userPath.includes("\0")) refuse(userPath, "NUL byte");
  if (userPath.includes("\\")) refuse(userPath, "backslash; use / as the separator");
  if (userPath.startsWith("/")) refuse(userPath, "absolute path; paths are relative to the allowed root");
  if (DRIVE_LETTER.test(userPath)) refuse(userPath, "drive letter; paths are relative to the allowed root");
  if (ENCODED_SEPARATOR_OR_DOT.test(userPath)) refuse(userPath, "percent-encoded dot, separator or NUL");
  if (CONTROL_CHARACTER.test(userPath)) refuse(userPath, "control character");
  if (Buffer.byteLength(userPath) > MAX_PATH_BYTES) refuse(userPath.slice(0, 64) + "…", `longer than ${MAX_PATH_BYTES} bytes`);
  const segments: string[] = [];
  for (const segment of userPath.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") throw new ArkError("FORBIDDEN", `path escapes the allowed root: ${userPath}`);
    if (Buffer.byteLength(segment) > MAX_SEGMENT_BYTES) refuse(userPath.slice(0, 64) + "…", `a name longer than ${MAX_SEGMENT_BYTES} bytes`);
    segments.push(segment);
  }
  return segments;
}
