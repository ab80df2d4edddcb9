import type { z } from "zod";
import { childPath } from "../admission/field-errors.js";
import type { FieldError } from "../kinds/definition.js";

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

function formatPath(base: string, segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, s) => (typeof s === "number" ? `${path}[${s}]` : childPath(path, String(s))), base);
}

function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let current = root;
  for (const s of segments) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[s];
  }
  return current;
}

const TYPE_NAMES: Record<string, string> = { int: "integer", record: "object", map: "object" };

function sizeDetail(issue: Issue & { code: "too_small" | "too_big" }): string {
  const small = issue.code === "too_small";
  const bound = small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum;
  switch (issue.origin) {
    case "string":
      return small ? `should be at least ${bound} chars long` : `may not be more than ${bound} chars long`;
    case "array":
    case "set":
      return small ? `should have at least ${bound} items` : `should have at most ${bound} items`;
    default:
      return small ? `should be greater than or equal to ${bound}` : `should be less than or equal to ${bound}`;
  }
}

function patternOf(issue: Issue): string | undefined {
  const pattern = (issue as { pattern?: unknown }).pattern;
  if (typeof pattern !== "string") return undefined;
  const source = pattern.startsWith("/") ? pattern.slice(1, pattern.lastIndexOf("/")) : pattern;
  return source.replaceAll("\\/", "/");
}

/** One zod issue as a Kubernetes field error; `input` is the object `base` names. */
export function issueToFieldError(issue: Issue, base: string, input: unknown): FieldError {
  const field = formatPath(base, issue.path);
  const value = valueAt(input, issue.path);
  if (value === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
    return { field, type: "Required value", detail: "" };
  }
  switch (issue.code) {
    case "invalid_type":
      return { field, type: "Invalid value", value, detail: `must be of type ${TYPE_NAMES[issue.expected] ?? issue.expected}` };
    case "invalid_value":
      return { field, type: "Unsupported value", value, detail: `supported values: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` };
    case "too_small":
      return { field, type: "Invalid value", value, detail: sizeDetail(issue) };
    case "too_big":
      return { field, type: issue.origin === "string" ? "Too long" : "Invalid value", value, detail: sizeDetail(issue) };
    case "invalid_format": {
      const pattern = patternOf(issue);
      return { field, type: "Invalid value", value, detail: pattern ? `should match '${pattern}'` : `must be a valid ${issue.format}` };
    }
    default:
      return { field, type: "Invalid value", value, detail: issue.message };
  }
}
