import { ClassifiedError } from "@ark/types";
import { labelValueProblem, qualifiedNameProblem } from "../admission/labels.js";

/** Kubernetes label selectors: `a=b,c!=d,e in (f,g),h notin (i),j,!k`. */
export type LabelRequirement = { key: string; op: "=" | "!="; value: string } | { key: string; op: "in" | "notin"; values: string[] } | { key: string; op: "exists" | "!exists" };

export class SelectorParseError extends ClassifiedError {
  override readonly name = "SelectorParseError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "INVALID_SELECTOR", message, options);
  }
}

export function parseLabelSelector(selector: string | undefined): LabelRequirement[] {
  if (!selector || selector.trim() === "") return [];
  return splitTopLevel(selector).map(parseRequirement).map(checkRequirement);
}

/** Keys must be qualified names and values label values, as Kubernetes' selector parser insists. */
function checkRequirement(r: LabelRequirement): LabelRequirement {
  const keyProblem = qualifiedNameProblem(r.key);
  if (keyProblem) throw new SelectorParseError(`unable to parse requirement: key: Invalid value: ${JSON.stringify(r.key)}: ${keyProblem}`);
  const values = r.op === "=" || r.op === "!=" ? [r.value] : r.op === "in" || r.op === "notin" ? r.values : [];
  values.forEach((v, i) => {
    const problem = labelValueProblem(v);
    if (problem) throw new SelectorParseError(`unable to parse requirement: values[${i}][${r.key}]: Invalid value: ${JSON.stringify(v)}: ${problem}`);
  });
  return r;
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of selector) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function parseRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return { key: setMatch[1]!, op: setMatch[2] as "in" | "notin", values };
  }
  const opMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (opMatch) return { key: opMatch[1]!, op: opMatch[2] === "!=" ? "!=" : "=", value: opMatch[3]! };
  if (/^![^=!\s(),]+$/.test(text)) return { key: text.slice(1), op: "!exists" };
  if (/^[^=!\s(),]+$/.test(text)) return { key: text, op: "exists" };
  throw new SelectorParseError(`unable to parse requirement: ${JSON.stringify(text)}`);
}

export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case "=":
        return has && l[r.key] === r.value;
      case "!=":
        return !has || l[r.key] !== r.value;
      case "in":
        return has && r.values.includes(l[r.key]!);
      case "notin":
        return !has || !r.values.includes(l[r.key]!);
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}
