/** An evaluation that could not be scored: answered `{passed: false, error}` (HTTP 200, as the contract says). */
export class EvaluationFailure extends Error {
  override readonly name = "EvaluationFailure";
}

/** Text a person can read in an error, cut to `max` characters. */
export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}… (${flat.length} characters)` : flat;
}
