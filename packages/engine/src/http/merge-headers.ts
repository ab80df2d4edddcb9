/** `base` with `over` on top: a header of `over` replaces one of the same name in `base`, whatever the case (HTTP names are case-insensitive). */
export function mergeHeaders(base: Readonly<Record<string, string>> | undefined, over: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...base };
  for (const [name, value] of Object.entries(over ?? {})) {
    for (const existing of Object.keys(merged)) if (existing.toLowerCase() === name.toLowerCase()) delete merged[existing];
    merged[name] = value;
  }
  return merged;
}
