export type Values = Record<string, unknown>;

function isMap(v: unknown): v is Values {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Helm's value coalescing: `override` wins, maps merge deeply, a null in `override` deletes the key. */
export function coalesceValues(defaults: Values, override: Values): Values {
  const out: Values = structuredClone(defaults);
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = coalesceValues(out[key] as Values, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

/** A subchart's values: its defaults, under the parent's `<name>:` section, with the parent's globals on top. */
export function subchartValues(subDefaults: Values, parent: Values, name: string): Values {
  const section = isMap(parent[name]) ? (parent[name] as Values) : {};
  const values = coalesceValues(subDefaults, section);
  const parentGlobal = isMap(parent.global) ? parent.global : {};
  const ownGlobal = isMap(values.global) ? values.global : {};
  values.global = coalesceValues(ownGlobal, parentGlobal);
  return values;
}

/** Reads `a.b.c` from values; undefined when any step is missing. */
export function valueAt(values: Values, path: string): unknown {
  return path.split(".").reduce<unknown>((v, key) => (isMap(v) ? v[key] : undefined), values);
}
