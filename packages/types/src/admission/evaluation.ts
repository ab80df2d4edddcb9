import type { EvaluationSpec } from "../kinds/evaluation.js";
import type { FieldError } from "../kinds/definition.js";
import type { Parameter } from "../shared/parameter.js";
import { celCompileError } from "../cel/cel.js";
import { EVENT_RULE_VARIABLES } from "../contracts/evaluator.js";
import type { ExpressionRule } from "../shared/expression-rule.js";
import { forbidden, invalid, isSet, required } from "./field-errors.js";

/** Upstream's Evaluation webhook, per spec.type. */
export function admitEvaluationConfig(spec: EvaluationSpec): FieldError[] {
  const { type, config } = spec;
  const errors: FieldError[] = [];
  if (!spec.evaluator) errors.push(required("spec.evaluator", "an evaluator reference is required"));
  const forbidInputOutput = () => {
    if (isSet(config.input)) errors.push(forbidden("spec.config.input", `${type} evaluation cannot specify input`));
    if (isSet(config.output)) errors.push(forbidden("spec.config.output", `${type} evaluation cannot specify output`));
  };
  errors.push(...checkRuleExpressions(config.rules));
  switch (type) {
    case "direct":
      if (!isSet(config.input)) errors.push(required("spec.config.input", "direct evaluation requires input"));
      if (!isSet(config.output)) errors.push(required("spec.config.output", "direct evaluation requires output"));
      if (config.queryRef) errors.push(forbidden("spec.config.queryRef", "direct evaluation cannot specify queryRef"));
      break;
    case "query":
      if (!config.queryRef) errors.push(required("spec.config.queryRef", "query evaluation requires queryRef"));
      forbidInputOutput();
      break;
    case "batch":
      if (!config.evaluations?.length && !config.items?.length && !config.template) {
        errors.push(required("spec.config.evaluations", "batch evaluation requires items, template with querySelector, or evaluations"));
      }
      if (config.template && !config.querySelector) errors.push(required("spec.config.querySelector", "a batch template needs a querySelector"));
      forbidInputOutput();
      break;
    case "event":
      if (!config.rules?.length) errors.push(required("spec.config.rules", "event mode evaluation should specify rules in config"));
      break;
    case "baseline":
      if (config.dataset && !config.target) errors.push(required("spec.config.target", "a baseline over a dataset needs the target that answers its cases"));
      if (config.target && !config.dataset) errors.push(required("spec.config.dataset", "a baseline target needs a dataset of cases"));
      if (config.dataset && !config.dataset.configMapRef === !config.dataset.cases) {
        errors.push(required("spec.config.dataset", "a dataset needs exactly one of configMapRef and cases"));
      }
      break;
  }
  return errors;
}

/** Every rule's CEL must compile against the event-rule variables; the error names the rule and says what CEL said. */
function checkRuleExpressions(rules: readonly ExpressionRule[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (rules ?? []).forEach((rule, i) => {
    const problem = celCompileError(rule.expression, EVENT_RULE_VARIABLES);
    if (problem) errors.push(invalid(`spec.config.rules[${i}].expression`, rule.expression, `rule "${rule.name}": CEL does not compile: ${problem}`));
  });
  return errors;
}

/** Evaluation's evaluator parameters need a name and a literal value (valueFrom-only is rejected upstream). */
export function checkEvaluatorParameters(params: readonly Parameter[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (params ?? []).forEach((p, i) => {
    if (!isSet(p.name)) errors.push(required(`${path}[${i}].name`, `parameter[${i}]: name cannot be empty`));
    if (!isSet(p.value)) errors.push(required(`${path}[${i}].value`, `parameter[${i}] '${p.name}': value cannot be empty`));
  });
  return errors;
}
