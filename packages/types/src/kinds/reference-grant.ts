import { z } from "zod";
import { unsupported } from "../admission/field-errors.js";
import { reconcileStatusShape } from "../shared/condition.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { AGE_COLUMN } from "./common.js";

/** Kinds whose references may cross namespaces, and what they refer to (docs: ARCHITECTURE "a namespace is a boundary"). */
export const REFERENCE_GRANT_FROM_KINDS = ["Query", "Agent", "Tool", "Evaluation"] as const;
export const REFERENCE_GRANT_TO_KINDS = ["Memory", "Model", "MCPServer", "ExecutionEngine", "Evaluator", "Query", "Evaluation"] as const;
export type ReferenceGrantFromKind = (typeof REFERENCE_GRANT_FROM_KINDS)[number];
export type ReferenceGrantToKind = (typeof REFERENCE_GRANT_TO_KINDS)[number];

export const ReferenceGrantFrom = z.object({
  kind: z
    .string()
    .min(1)
    .describe(
      "Kind of the referring resource: Query (spec.memory, spec.evaluators), Agent (spec.modelRef, spec.executionEngine), Tool (spec.mcp.mcpServerRef) or Evaluation (spec.evaluator, spec.config.queryRef, spec.config.evaluations).",
    ),
  namespace: z.string().min(1).describe("Namespace of the referring resources."),
});
export type ReferenceGrantFrom = z.output<typeof ReferenceGrantFrom>;

export const ReferenceGrantTo = z.object({
  kind: z.string().min(1).describe("Kind in this namespace that may be referred to: Memory, Model, MCPServer, ExecutionEngine, Evaluator, Query or Evaluation."),
  name: z.string().optional().describe("Only the resource of this name; every resource of the kind when absent."),
});
export type ReferenceGrantTo = z.output<typeof ReferenceGrantTo>;

export const ReferenceGrantSpec = z.object({
  from: z.array(ReferenceGrantFrom).min(1).describe("Who may refer into this namespace; any entry matches."),
  to: z.array(ReferenceGrantTo).min(1).describe("What they may refer to; any entry matches."),
});
export type ReferenceGrantSpec = z.output<typeof ReferenceGrantSpec>;

export const ReferenceGrantStatus = z.object({ ...reconcileStatusShape });
export type ReferenceGrantStatus = z.output<typeof ReferenceGrantStatus>;

function admitReferenceGrant(spec: ReferenceGrantSpec): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: string, kind: string, supported: readonly string[]) => {
    if (!supported.includes(kind)) errors.push(unsupported(field, kind, `supported values: ${supported.map((k) => `"${k}"`).join(", ")}`));
  };
  spec.from.forEach((from, i) => check(`spec.from[${i}].kind`, from.kind, REFERENCE_GRANT_FROM_KINDS));
  spec.to.forEach((to, i) => check(`spec.to[${i}].kind`, to.kind, REFERENCE_GRANT_TO_KINDS));
  return errors;
}

/** Lives in the namespace referred to, as Gateway API's ReferenceGrant: without one, references from other namespaces are refused. */
export const referenceGrantKind: KindDefinition<typeof ReferenceGrantSpec, typeof ReferenceGrantStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "ReferenceGrant",
  listKind: "ReferenceGrantList",
  plural: "referencegrants",
  singular: "referencegrant",
  spec: ReferenceGrantSpec,
  status: ReferenceGrantStatus,
  printerColumns: [AGE_COLUMN],
  admit: ({ spec }) => admitReferenceGrant(spec),
};

/** A reference from a resource of `from.kind` in `from.namespace` to `to.kind` `to.name` in `to.namespace`. */
export interface CrossNamespaceReference {
  from: { kind: ReferenceGrantFromKind; namespace: string };
  to: { kind: ReferenceGrantToKind; namespace: string; name: string };
}

/** Whether one of `grants` (the ReferenceGrants of the namespace referred to) allows `ref`; a same-namespace reference needs none. */
export function referenceGrantAllows(grants: readonly { spec: ReferenceGrantSpec }[], ref: CrossNamespaceReference): boolean {
  if (ref.from.namespace === ref.to.namespace) return true;
  return grants.some(({ spec }) => spec.from.some((f) => f.kind === ref.from.kind && f.namespace === ref.from.namespace) && spec.to.some((t) => t.kind === ref.to.kind && (!t.name || t.name === ref.to.name)));
}

/** What a refused reference reports: `Model "gpt" in namespace team-b is not granted to Agent in namespace team-a (...)`. */
export function referenceNotGrantedMessage(ref: CrossNamespaceReference): string {
  const { from, to } = ref;
  return (
    `${to.kind} "${to.name}" in namespace ${to.namespace} is not granted to ${from.kind} in namespace ${from.namespace} ` +
    `(a ReferenceGrant in namespace ${to.namespace} must allow from {kind: ${from.kind}, namespace: ${from.namespace}} to {kind: ${to.kind}})`
  );
}
