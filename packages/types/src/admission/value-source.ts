import type { FieldError } from "../kinds/definition.js";
import type { ValueFromSource, ValueSource } from "../shared/value-source.js";
import { invalid, isSet, required } from "./field-errors.js";

type SourceName = keyof ValueFromSource;
/** Every source a valueFrom may name; queryParameterRef only where a caller allows it (Agent parameters). */
const KNOWN_SOURCES: readonly SourceName[] = ["secretKeyRef", "configMapKeyRef", "serviceRef", "queryParameterRef"];
const ALL_SOURCES: readonly SourceName[] = ["secretKeyRef", "configMapKeyRef", "serviceRef"];

/** value XOR valueFrom, and valueFrom names exactly one of the allowed sources (an empty value counts as none, as upstream). */
export function checkValueSource(vs: ValueSource, path: string, sources: readonly SourceName[] = ALL_SOURCES): FieldError[] {
  if (isSet(vs.value) && vs.valueFrom) return [invalid(path, undefined, "cannot specify both value and valueFrom")];
  if (isSet(vs.value)) return [];
  if (!vs.valueFrom) return [required(path, "must specify either value or valueFrom")];
  return checkValueFrom(vs.valueFrom, `${path}.valueFrom`, sources);
}

export function checkValueFrom(from: ValueFromSource, path: string, sources: readonly SourceName[]): FieldError[] {
  const given = KNOWN_SOURCES.filter((s) => from[s] !== undefined);
  const supported = sources.join(", ");
  if (given.length === 0) return [required(path, `must specify one of: ${supported}`)];
  if (given.length > 1) return [invalid(path, undefined, `must specify exactly one source, got: ${given.join(", ")}`)];
  const source = given[0] as SourceName;
  if (!sources.includes(source)) return [invalid(path, undefined, `${source} is not supported here; supported sources: ${supported}`)];
  const ref = from[source];
  const errors: FieldError[] = [];
  if (!isSet(ref?.name)) errors.push(required(`${path}.${source}.name`, `${source} name is required`));
  if (ref && "key" in ref && !isSet(ref.key)) errors.push(required(`${path}.${source}.key`, `${source} key is required`));
  return errors;
}
