import type { ArkClient } from "@ark/kube";
import type { LabelSelector, QueryTarget } from "@ark/types";

/** A LabelSelector in the query-string syntax the API takes: `a=b,k in (x,y),!gone`. */
export function labelSelectorString(selector: LabelSelector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    if (operator === "In") terms.push(`${key} in (${values.join(",")})`);
    else if (operator === "NotIn") terms.push(`${key} notin (${values.join(",")})`);
    else if (operator === "Exists") terms.push(key);
    else terms.push(`!${key}`);
  }
  return terms.join(",");
}

/** Upstream §6.3: spec.selector adds the matching Agents, then Teams, Models and Tools of the query's namespace. */
export async function selectorTargets(ark: ArkClient, namespace: string, selector: LabelSelector): Promise<QueryTarget[]> {
  const labelSelector = labelSelectorString(selector);
  const [agents, teams, models, tools] = await Promise.all([
    ark.agents.list(namespace, { labelSelector }),
    ark.teams.list(namespace, { labelSelector }),
    ark.models.list(namespace, { labelSelector }),
    ark.tools.list(namespace, { labelSelector }),
  ]);
  const named = (type: QueryTarget["type"]) => (obj: { metadata: { name?: string } }) => ({ type, name: obj.metadata.name ?? "" });
  return [...agents.map(named("agent")), ...teams.map(named("team")), ...models.map(named("model")), ...tools.map(named("tool"))];
}
