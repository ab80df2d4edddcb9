import { parse } from "yaml";
import { z } from "zod";
import { BaselineCase } from "./evaluator.js";

const Cases = z.array(BaselineCase);

/**
 * The cases of a dataset text (a ConfigMap key or a file). Throws an Error naming `source` and what is wrong
 * (not YAML, not a list, a case without input…).
 */
export function parseDataset(text: string, source: string): BaselineCase[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new Error(`dataset ${source} is neither JSON nor YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  // A list of cases, or `{cases: [...]}`; JSON is YAML, so one parser reads both.
  const list = raw !== null && typeof raw === "object" && !Array.isArray(raw) && "cases" in raw ? raw.cases : raw;
  const parsed = Cases.safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
    throw new Error(`dataset ${source} is not a list of {input, expected} cases${at}: ${issue?.message ?? "invalid"}`);
  }
  if (parsed.data.length === 0) throw new Error(`dataset ${source} has no cases`);
  return parsed.data.map((c, i) => ({ ...c, name: c.name ?? `case-${i + 1}` }));
}
