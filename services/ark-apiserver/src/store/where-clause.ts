import type { LabelRequirement } from "../selectors/label-selector.js";

/** Builds a parameterised WHERE clause; `param` numbers values in order. */
export class WhereClause {
  readonly conditions: string[] = [];
  readonly values: unknown[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  add(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  labels(requirements: LabelRequirement[], column = "labels"): this {
    const equalities: Record<string, string> = {};
    for (const r of requirements) {
      switch (r.op) {
        case "=":
          equalities[r.key] = r.value;
          break;
        case "!=":
          this.add(`(${column}->>${this.param(r.key)}) IS DISTINCT FROM ${this.param(r.value)}`);
          break;
        case "in":
          this.add(`(${column}->>${this.param(r.key)}) = ANY(${this.param(r.values)}::text[])`);
          break;
        case "notin":
          this.add(`coalesce(NOT ((${column}->>${this.param(r.key)}) = ANY(${this.param(r.values)}::text[])), true)`);
          break;
        case "exists":
          this.add(`jsonb_exists(${column}, ${this.param(r.key)})`);
          break;
        case "!exists":
          this.add(`NOT jsonb_exists(${column}, ${this.param(r.key)})`);
          break;
      }
    }
    if (Object.keys(equalities).length > 0) this.add(`${column} @> ${this.param(JSON.stringify(equalities))}::jsonb`);
    return this;
  }

  toString(): string {
    return this.conditions.length === 0 ? "" : `WHERE ${this.conditions.join(" AND ")}`;
  }
}
