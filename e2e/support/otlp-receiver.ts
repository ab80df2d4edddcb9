import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One span as an OTLP/HTTP export carries it, flattened: the resource's service.name and plain attribute values. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  attributes: Record<string, AttributeValue>;
  status: { code?: number; message?: string };
  /** The export's encoding: OTEL_EXPORTER_OTLP_PROTOCOL of the service that sent it. */
  protocol: "http/json" | "http/protobuf";
}

type AttributeValue = string | number | boolean | AttributeValue[];

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpKeyValue {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpKeyValue[];
  status?: { code?: number; message?: string };
}
interface OtlpExport {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const plain = (v: OtlpValue): AttributeValue => (v.arrayValue ? (v.arrayValue.values ?? []).map(plain) : (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? ""))));

/**
 * An OTLP/HTTP receiver on a free port that decodes both encodings a service exports with (OTEL_EXPORTER_OTLP_PROTOCOL
 * http/json, and http/protobuf, the default).
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/v1/traces") {
        const raw = Buffer.concat(chunks);
        const protobuf = (req.headers["content-type"] ?? "").includes("protobuf");
        const body = protobuf ? decodeExport(raw) : (JSON.parse(raw.toString("utf8")) as OtlpExport);
        for (const rs of body.resourceSpans ?? []) {
          const service = String(plain(rs.resource?.attributes?.find((a) => a.key === "service.name")?.value ?? {}));
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || undefined,
                name: s.name,
                attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, plain(a.value)])),
                status: s.status ?? {},
                protocol: protobuf ? "http/protobuf" : "http/json",
              });
        }
      }
      res.writeHead(200, { "content-type": protobufOrJson(req.headers["content-type"]) }).end(req.headers["content-type"]?.includes("protobuf") ? "" : "{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, spans, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const protobufOrJson = (type: string | undefined) => (type?.includes("protobuf") ? "application/x-protobuf" : "application/json");

// The protobuf wire format, as much of it as opentelemetry-proto's trace export uses (field numbers from
// opentelemetry/proto/collector/trace/v1/trace_service.proto and the trace, resource and common protos).

/** The fields of one message: field number → the raw values (varint as bigint, fixed64/32 and length-delimited as bytes). */
function fields(buf: Buffer): Map<number, (bigint | Buffer)[]> {
  const out = new Map<number, (bigint | Buffer)[]>();
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[at++]!;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const [field, wire] = [key >>> 3, key & 7];
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1 || wire === 5) {
      const width = wire === 1 ? 8 : 4;
      value = buf.subarray(at, at + width);
      at += width;
    } else if (wire === 2) {
      const length = Number(varint());
      value = buf.subarray(at, at + length);
      at += length;
    } else throw new Error(`OTLP protobuf: wire type ${wire} not expected`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const bytesOf = (m: Map<number, (bigint | Buffer)[]>, field: number): Buffer[] => (m.get(field) ?? []).filter((v): v is Buffer => Buffer.isBuffer(v));
const firstBytes = (m: Map<number, (bigint | Buffer)[]>, field: number): Buffer | undefined => bytesOf(m, field)[0];
const text = (m: Map<number, (bigint | Buffer)[]>, field: number): string | undefined => firstBytes(m, field)?.toString("utf8");

function anyValue(buf: Buffer): OtlpValue {
  const m = fields(buf);
  if (m.has(1)) return { stringValue: text(m, 1) ?? "" };
  if (m.has(2)) return { boolValue: m.get(2)![0] === 1n };
  if (m.has(3)) return { intValue: Number(BigInt.asIntN(64, m.get(3)![0] as bigint)) };
  if (m.has(4)) return { doubleValue: firstBytes(m, 4)!.readDoubleLE(0) };
  if (m.has(5)) return { arrayValue: { values: bytesOf(fields(firstBytes(m, 5)!), 1).map(anyValue) } };
  return {};
}

function keyValues(m: Map<number, (bigint | Buffer)[]>, field: number): OtlpKeyValue[] {
  return bytesOf(m, field).map((kv) => {
    const f = fields(kv);
    const value = firstBytes(f, 2);
    return { key: text(f, 1) ?? "", value: value ? anyValue(value) : {} };
  });
}

function decodeExport(buf: Buffer): OtlpExport {
  return {
    resourceSpans: bytesOf(fields(buf), 1).map((rsBuf) => {
      const rs = fields(rsBuf);
      const resource = firstBytes(rs, 1);
      return {
        resource: { attributes: resource ? keyValues(fields(resource), 1) : [] },
        scopeSpans: bytesOf(rs, 2).map((ssBuf) => ({
          spans: bytesOf(fields(ssBuf), 2).map((spanBuf) => {
            const s = fields(spanBuf);
            const status = firstBytes(s, 15);
            const st = status ? fields(status) : undefined;
            return {
              traceId: firstBytes(s, 1)?.toString("hex") ?? "",
              spanId: firstBytes(s, 2)?.toString("hex") ?? "",
              parentSpanId: firstBytes(s, 4)?.toString("hex") ?? "",
              name: text(s, 5) ?? "",
              attributes: keyValues(s, 9),
              status: st ? { ...(st.has(3) ? { code: Number(st.get(3)![0]) } : {}), ...(st.has(2) ? { message: text(st, 2) } : {}) } : {},
            };
          }),
        })),
      };
    }),
  };
}
