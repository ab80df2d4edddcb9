import type { z } from "zod";

export const GROUP = "ark.mckinsey.com";
export type ArkVersion = "v1alpha1" | "v1prealpha1";

/** A column `kubectl get` prints, as in a CRD's additionalPrinterColumns. */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description?: string;
  priority?: number;
}

/**
 * One field-level problem, shaped like Kubernetes' field.Error so the API can answer with a
 * 422 Status whose details.causes[] kubectl prints: `spec.tools[1].name: Required value: ...`.
 */
export type FieldErrorType = "Required value" | "Invalid value" | "Unsupported value" | "Duplicate value" | "Forbidden" | "Too long" | "Field not declared in schema";

export interface FieldError {
  /** Kubernetes field path: `spec.tools[1].name`, `spec.config.azure.apiKey`. */
  field: string;
  type: FieldErrorType;
  /** What is wrong, for a person: `built-in tools must specify a name`. */
  detail: string;
  /** The offending value, printed as Kubernetes does (`Invalid value: "Foo_1": ...`); absent for Required/Forbidden. */
  value?: unknown;
}

/** Everything the CRD generator, the API server and the REST API need to know about one kind. */
export interface KindDefinition<Spec extends z.ZodType = z.ZodType, Status extends z.ZodType = z.ZodType> {
  group: typeof GROUP;
  version: ArkVersion;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  spec: Spec;
  status: Status;
  printerColumns: PrinterColumn[];
  // Method syntax keeps KindDefinition<typeof AgentSpec> assignable to KindDefinition (bivariant parameter).
  /** Structural admission rules beyond the schema (docs/upstream-compat.md §3, without reference lookups). */
  admit(obj: { metadata: { name?: string; namespace?: string }; spec: z.output<Spec> }): FieldError[];
}

/** Kinds that `kubectl get all` lists besides the built-in ones (docs/architecture.md §7: upstream declares no categories). */
const IN_CATEGORY_ALL: ReadonlySet<string> = new Set(["Agent", "Team", "Query"]);

/** The discovery categories of an ARK kind: `ark` for every kind (`kubectl get ark`), `all` for the ones a user runs. */
export function kindCategories(def: Pick<KindDefinition, "kind">): string[] {
  return IN_CATEGORY_ALL.has(def.kind) ? ["ark", "all"] : ["ark"];
}

const typesPrintedWithoutValue: ReadonlySet<FieldErrorType> = new Set(["Required value", "Forbidden", "Too long"]);

/** The message without the field, as in a Status cause: `Unsupported value: "x": supported values: "a", "b"`. */
export function formatFieldErrorBody(e: FieldError): string {
  let body: string = e.type;
  if (e.value !== undefined && !typesPrintedWithoutValue.has(e.type)) body += `: ${formatBadValue(e.value)}`;
  return e.detail ? `${body}: ${e.detail}` : body;
}

export function formatFieldError(e: FieldError): string {
  return e.field ? `${e.field}: ${formatFieldErrorBody(e)}` : formatFieldErrorBody(e);
}

function formatBadValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") {
    const json = JSON.stringify(value);
    return json.length > 120 ? `${json.slice(0, 117)}...` : json;
  }
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
