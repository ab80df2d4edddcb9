import type { FieldError } from "../kinds/definition.js";
import type { Parameter } from "../shared/parameter.js";
import { duplicate, invalid, isSet, required } from "./field-errors.js";
import { checkValueFrom } from "./value-source.js";

type ParameterSource = "secretKeyRef" | "configMapKeyRef" | "serviceRef" | "queryParameterRef";
const TEMPLATE_SOURCES: readonly ParameterSource[] = ["configMapKeyRef", "secretKeyRef"];
/** An Agent's parameters may also name the running Query's parameters (upstream's queryParameterRef). */
export const AGENT_PARAMETER_SOURCES: readonly ParameterSource[] = [...TEMPLATE_SOURCES, "queryParameterRef"];

/** docs/upstream-compat.md §3.1: per parameter, value XOR valueFrom; valueFrom exactly one of configMapKeyRef/secretKeyRef. */
export function checkParameters(params: readonly Parameter[] | undefined, path: string, sources: readonly ParameterSource[] = TEMPLATE_SOURCES): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (params ?? []).forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (!isSet(p.name)) errors.push(required(`${at}.name`, `parameter[${i}]: name cannot be empty`));
    else if (seen.has(p.name)) errors.push(duplicate(`${at}.name`, p.name, `parameter '${p.name}' is defined more than once`));
    seen.add(p.name);
    const label = `parameter[${i}] '${p.name}'`;
    if (isSet(p.value) && p.valueFrom) errors.push(invalid(at, undefined, `${label}: cannot specify both value and valueFrom`));
    else if (!isSet(p.value) && !p.valueFrom) errors.push(required(at, `${label}: must specify either value or valueFrom`));
    else if (p.valueFrom) {
      for (const e of checkValueFrom(p.valueFrom, `${at}.valueFrom`, sources)) errors.push({ ...e, detail: `${label}: ${e.detail}` });
    }
  });
  return errors;
}
