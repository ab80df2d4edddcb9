import { z } from "zod";
import { checkLabelSelector } from "../admission/label-selector.js";
import { checkParameters } from "../admission/parameters.js";
import { checkValueSource } from "../admission/value-source.js";
import { Parameter } from "../shared/parameter.js";
import { ResourceSelector } from "../shared/resource-selector.js";
import { ValueSource } from "../shared/value-source.js";
import { AddressStatus } from "./address-status.js";
import type { FieldError, KindDefinition } from "./definition.js";
import { GROUP } from "./definition.js";
import { ADDRESS_COLUMN, AGE_COLUMN, PHASE_COLUMN } from "./common.js";

export const EvaluatorSpec = z.object({
  address: ValueSource.describe("Evaluator endpoint; requests are POSTed to exactly this URL."),
  description: z.string().optional(),
  selector: ResourceSelector.optional().describe("Queries matching it are evaluated automatically."),
  parameters: z.array(Parameter).optional().describe("Passed with every evaluation request; model.name and model.namespace pick the judge model."),
});
export type EvaluatorSpec = z.output<typeof EvaluatorSpec>;

export const EvaluatorStatus = AddressStatus;
export type EvaluatorStatus = z.output<typeof EvaluatorStatus>;

export function admitEvaluator(spec: EvaluatorSpec): FieldError[] {
  return [
    ...checkValueSource(spec.address, "spec.address"),
    ...checkLabelSelector(spec.selector, "spec.selector"),
    ...checkLabelSelector(spec.selector?.namespaceSelector, "spec.selector.namespaceSelector"),
    ...checkParameters(spec.parameters, "spec.parameters", ["secretKeyRef", "configMapKeyRef", "serviceRef"]),
  ];
}

export const evaluatorKind: KindDefinition<typeof EvaluatorSpec, typeof EvaluatorStatus> = {
  group: GROUP,
  version: "v1alpha1",
  kind: "Evaluator",
  listKind: "EvaluatorList",
  plural: "evaluators",
  singular: "evaluator",
  spec: EvaluatorSpec,
  status: EvaluatorStatus,
  printerColumns: [PHASE_COLUMN, ADDRESS_COLUMN, AGE_COLUMN],
  admit: ({ spec }) => admitEvaluator(spec),
};
