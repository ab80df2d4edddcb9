// Kubernetes evaluates `pattern` with Go's RE2, which lacks these ECMAScript constructs.
const unsupportedInRe2: [RegExp, string][] = [
  [/\(\?<?[=!]/, "lookaround assertions"],
  [/\\[1-9]/, "backreferences"],
  [/\\k</, "named backreferences"],
  [/\\u[0-9a-fA-F{]/, "\\u escapes (use \\x{…})"],
  [/\\c[A-Za-z]/, "\\c control escapes"],
];

/** Why `pattern` would not compile in RE2, or undefined when it would. */
export function re2Incompatibility(pattern: string): string | undefined {
  for (const [construct, name] of unsupportedInRe2) if (construct.test(pattern)) return name;
  return undefined;
}
