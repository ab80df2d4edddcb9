/** Default length of a remote service's words in an error message. */
const REMOTE_TEXT_MAX = 300;

export interface RemoteTextOptions {
  /** Values sent with the request (API keys, header values): never repeated, whatever the service echoes. */
  secrets?: readonly (string | undefined)[];
  /** At most this many characters (an ellipsis marks the cut). */
  max?: number;
}

const REDACTED = "[redacted]";
const CREDENTIAL_FIELD = /\b(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|api_key|apikey|x-auth-token|password|secret|token)("?\s*[:=]\s*"?)((?:(?:Bearer|Basic|Token|Digest)\s+)?[^\s",;}]+)/gi;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{12,}/gi;
const KEY_LIKE = /\b(sk|pk|rk|xox[abpr])-[A-Za-z0-9_-]{12,}/g;
// Terminal escape sequences (CSI, OSC) go whole, then the C0 and C1 controls, DEL, bidirectional overrides and isolates: they rewrite what a terminal or a UI shows.
// oxlint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ESCAPE_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// oxlint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Text from a remote service (an error body, a message it sent) fit for an error message and a Query's status:
 * control characters become spaces, credentials it echoes and the request's own secrets are redacted, the length capped.
 */
export function sanitizeRemoteText(text: string, options: RemoteTextOptions = {}): string {
  const max = options.max ?? REMOTE_TEXT_MAX;
  let clean = text.replace(ESCAPE_SEQUENCE, " ").replace(CONTROL, " ");
  const secrets = (options.secrets ?? [])
    .flatMap((value) => (value ? [value, ...value.split(/\s+/)] : []))
    .filter((value) => value.length >= 6 && !/^(bearer|basic|token|digest)$/i.test(value))
    .sort((a, b) => b.length - a.length);
  for (const secret of secrets) clean = clean.split(secret).join(REDACTED);
  clean = clean
    .replace(CREDENTIAL_FIELD, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`)
    .replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(KEY_LIKE, REDACTED)
    .replace(/ {2,}/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
