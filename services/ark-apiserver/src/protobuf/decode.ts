import { ClassifiedError } from "@ark/types";
import { k8sProtobuf, supportedKinds } from "./messages.js";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
const unknownType = k8sProtobuf.lookupType("Unknown");

export class ProtobufDecodeError extends ClassifiedError {
  override readonly name = "ProtobufDecodeError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("user", "INVALID_PROTOBUF", message, options);
  }
}

/** Whether a request body is Kubernetes protobuf (`application/vnd.kubernetes.protobuf`). */
export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/vnd.kubernetes.protobuf";
}

/**
 * The JSON object a Kubernetes protobuf body carries, shaped as kubectl would have sent it as JSON
 * (empty fields omitted, bytes as base64). Throws ProtobufDecodeError for other kinds or bad bytes.
 */
export function decodeK8sProtobuf(buffer: Uint8Array): Record<string, unknown> {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError("protobuf body does not start with the Kubernetes magic number k8s\\0");
  }
  const envelope = decodeMessage(unknownType, bytes.subarray(MAGIC.length)) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
  };
  const apiVersion = envelope.typeMeta?.apiVersion ?? "";
  const kind = envelope.typeMeta?.kind ?? "";
  if (envelope.contentEncoding) throw new ProtobufDecodeError(`unsupported protobuf content encoding ${envelope.contentEncoding}`);
  const type = supportedKinds.get(`${apiVersion}/${kind}`);
  if (type === undefined) {
    throw new ProtobufDecodeError(`protobuf is accepted only for the kinds kubectl's create and auth commands send, not ${apiVersion} ${kind}; send JSON`);
  }
  const message = type.toObject(decodeMessage(type, envelope.raw ?? new Uint8Array()), { longs: Number, bytes: String });
  return { apiVersion, kind, ...goJson(message, kind) };
}

function decodeMessage(type: protobuf.Type, bytes: Uint8Array): protobuf.Message {
  try {
    return type.decode(bytes);
  } catch (cause) {
    throw new ProtobufDecodeError(`malformed protobuf ${type.name}: ${(cause as Error).message}`, { cause });
  }
}

// Nested structs Go always serializes (no omitempty on struct values), e.g. Namespace's "spec":{}.
const alwaysPresent = new Set(["Namespace.spec", "Namespace.status"]);
const timeFields = new Set(["creationTimestamp", "deletionTimestamp", "lastTransitionTime"]);
// Map values are kept as sent: a ConfigMap key may hold "".
const mapFields = new Set(["labels", "annotations", "data", "stringData", "binaryData", "matchLabels"]);

/** The object as Go's encoding/json with omitempty writes it: no "", 0, false, empty maps or lists; Time as RFC 3339. */
function goJson(message: Record<string, unknown>, kind: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    const converted = goValue(key, value);
    if (converted !== undefined) out[key] = converted;
    else if (alwaysPresent.has(`${kind}.${key}`)) out[key] = {};
  }
  return out;
}

function goValue(key: string, value: unknown): unknown {
  if (timeFields.has(key)) return toRfc3339(value as { seconds?: number });
  if (mapFields.has(key)) return Object.keys(value as object).length === 0 ? undefined : value;
  if (Array.isArray(value)) {
    const items = value.map((item) => goValue("", item)).filter((item) => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const converted = goValue(k, v);
      if (converted !== undefined) out[k] = converted;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === "" || value === 0 || value === false || value === null ? undefined : value;
}

function toRfc3339(time: { seconds?: number } | undefined): string | undefined {
  const seconds = Number(time?.seconds ?? 0);
  return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
