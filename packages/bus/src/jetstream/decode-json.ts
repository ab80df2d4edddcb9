/** A message body as JSON, or undefined when it is not JSON (then the schema check rejects it). */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
