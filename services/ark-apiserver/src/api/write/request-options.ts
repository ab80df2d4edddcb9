import { statusErrors } from "../status.js";

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw statusErrors.badRequest(`unsupported dryRun value: ${v}; supported values: "All"`);
  return values.length > 0;
}

/** Kubernetes' `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

/** `?fieldManager=`: at most 128 printable characters, else 422 naming it (as kube-apiserver's ValidateFieldManager). */
export function checkFieldManager(query: URLSearchParams): void {
  const manager = query.get("fieldManager");
  if (manager === null) return;
  const why = [...manager].length > 128 ? "must have at most 128 characters" : [...manager].some((c) => c !== " " && NOT_PRINTABLE.test(c)) ? "must consist of printable characters" : undefined;
  if (why) throw statusErrors.unprocessable(`fieldManager: Invalid value: ${JSON.stringify(manager)}: ${why}`);
}
