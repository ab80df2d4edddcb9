import type { FuzzRandom } from "./random.js";
import { deepJsonText, fieldPaths, hugeJsonText, invalidUtf8Json, oddStrings, randomJson, withField, wrongTypeVariants } from "./values.js";

/** One request of a fuzz run; `raw` bytes go on a fresh connection instead (malformed at the HTTP level). */
export interface FuzzRequest {
  /** What the case exercises, for failure messages. */
  kind: FuzzKind;
  method: string;
  /** The request target exactly as sent (Latin-1 bytes; may be badly encoded on purpose). */
  path: string;
  /** Header name/value pairs; a name may repeat. */
  headers: [string, string][];
  body?: Buffer;
  raw?: Buffer;
}

export const fuzzKinds = ["junk-body", "wrong-type", "deep-json", "huge-body", "invalid-utf8", "content-type", "header", "rebinding", "path", "query", "method", "raw"] as const;
export type FuzzKind = (typeof fuzzKinds)[number];

/** A valid request with a JSON body (`{ns}` and `{name}` in the path are filled like the surface's). */
export interface FuzzSample {
  method: string;
  path: string;
  body: unknown;
  contentType?: string;
  /** Headers the route needs (a Host that routes it, say). */
  headers?: Record<string, string>;
}

/** What a service serves, so malformed requests reach its handlers rather than only its 404. */
export interface FuzzSurface {
  /** Paths it serves; `{ns}` and `{name}` are filled with good and odd values. */
  paths: readonly string[];
  /** Methods it serves besides GET. */
  methods: readonly string[];
  /** Query parameters it reads. */
  params?: readonly string[];
  /** Valid requests with bodies: each field gets a wrong type in turn, and junk is built around them. */
  samples?: readonly FuzzSample[];
  /** Content types it reads besides JSON. */
  contentTypes?: readonly string[];
  /** Headers it reads, which get odd values. */
  headers?: readonly string[];
  /** Namespaces to use for `{ns}` besides odd ones. */
  namespaces?: readonly string[];
  /** Headers every request carries (a token) unless the case is about odd credentials. */
  baseHeaders?: Record<string, string>;
  /** The service's body limit: huge bodies go just under and over it. */
  bodyLimitBytes?: number;
}

const oddNames = ["fuzz", "fuzz-a", "UPPER", "a".repeat(254), "-x", "x.y", "%2e%2e", "..", "%2F", "a%20b", "%E5%90%8D", "%00", "%", "%zz", "~", "*"];
const oddNamespaces = ["nope", "UPPER", "a".repeat(70), "%2e%2e", "kube-system", "ark-system", "default%00", "_"];
const oddMethods = ["OPTIONS", "HEAD", "TRACE", "PROPFIND", "MKCOL", "SEARCH", "PURGE", "LINK", "QUERY", "BREW", "M-SEARCH", "NOTIFY", "SUBSCRIBE"];
const contentTypes = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=",
  "multipart/form-data",
  "application/xml",
  "application/json; charset=utf-16",
  "application/json; charset=latin1",
  "application/json;;;",
  "application/json; charset=",
  "APPLICATION/JSON",
  "application/merge-patch+json",
  "application/json-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
  "application/yaml",
  "application/vnd.kubernetes.protobuf",
  "application/octet-stream",
  "*/*",
  "json",
  "a/b/c",
  "x".repeat(2000),
  "",
];
const oddHeaderValues = ["", " ", "x".repeat(8000), "\u00ff\u00fe", "a\tb", "null", "-1", "1e309", "*/*;q=abc", "=", ";;;;", "\u00e5\u0090\u008d"];
const commonHeaders = [
  "accept",
  "accept-encoding",
  "content-encoding",
  "authorization",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-prefix",
  "x-request-id",
  "origin",
  "cookie",
  "if-match",
  "if-none-match",
  "range",
  "expect",
  "te",
  "upgrade",
  "connection",
  "cache-control",
  "accept-language",
  "x-http-method-override",
];
const authorizations = ["Bearer", "Bearer ", "Basic Og==", "Bearer a.b.c", `Bearer ${"a".repeat(5000)}`, "Bearer \u00ff", "bearer x y z", "Digest x", "Bearer ark_x_y"];
const rawRequests = [
  "GARBAGE\r\n\r\n",
  "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
  "GET /\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0000b\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
  "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"truncated":',
  "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
  "GET / HTTP/1.1\r\n\r\n",
  `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
  "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==\r\n\r\n",
  "GET /\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET / HTTP/1.1\r\nHost: x\r\n", // never finished: the server must time it out, not hang
];

/**
 * Malformed requests for a service, deterministic for a seed: every field of every sample with a wrong type (or
 * removed), then `count` requests whose kinds take turns.
 */
export function fuzzRequests(surface: FuzzSurface, random: FuzzRandom, count: number): FuzzRequest[] {
  const requests: FuzzRequest[] = [];
  for (const sample of surface.samples ?? []) {
    for (const variant of wrongTypeVariants(sample.body)) requests.push(sampleRequest(surface, random, "wrong-type", sample, bodyOf(variant.value), sample.contentType));
  }
  for (let i = 0; i < count; i++) requests.push(build(surface, random, fuzzKinds[i % fuzzKinds.length]!));
  return requests;
}

/** Only the random part of fuzzRequests (no wrong-type sweep): a warm-up, or a second pass. */
export function randomFuzzRequests(surface: FuzzSurface, random: FuzzRandom, count: number): FuzzRequest[] {
  return Array.from({ length: count }, (_, i) => build(surface, random, fuzzKinds[i % fuzzKinds.length]!));
}

const DEEP_MARK = "@@deep@@";
const bodyOf = (value: unknown) => Buffer.from(JSON.stringify(value) ?? "null");

function sampleRequest(surface: FuzzSurface, random: FuzzRandom, kind: FuzzKind, sample: FuzzSample, body: Buffer, contentType: string | undefined = "application/json"): FuzzRequest {
  return {
    kind,
    method: sample.method,
    path: fill(sample.path, surface, random, false),
    headers: [...baseHeaders(surface), ...Object.entries(sample.headers ?? {}), ...(contentType === undefined ? [] : [["content-type", contentType] as [string, string]])],
    body,
  };
}

function fill(template: string, surface: FuzzSurface, random: FuzzRandom, odd: boolean): string {
  const namespaces = surface.namespaces ?? ["default"];
  return template
    .replaceAll("{ns}", () => (odd && random.chance(0.3) ? random.pick(oddNamespaces) : random.pick(namespaces)))
    .replaceAll("{name}", () => (odd && random.chance(0.5) ? random.pick(oddNames) : `fuzz-${random.int(50)}`));
}

function basePath(surface: FuzzSurface, random: FuzzRandom, odd = true): string {
  return fill(random.pick(surface.paths), surface, random, odd);
}

function baseHeaders(surface: FuzzSurface): [string, string][] {
  return Object.entries(surface.baseHeaders ?? {});
}

function bodyMethod(surface: FuzzSurface, random: FuzzRandom): string {
  const methods = surface.methods.filter((m) => m !== "GET" && m !== "DELETE");
  return methods.length > 0 ? random.pick(methods) : "POST";
}

function pickSample(surface: FuzzSurface, random: FuzzRandom): FuzzSample | undefined {
  return surface.samples && surface.samples.length > 0 ? random.pick(surface.samples) : undefined;
}

function sampleOf(surface: FuzzSurface, random: FuzzRandom): unknown {
  return pickSample(surface, random)?.body ?? { name: "fuzz" };
}

/** A body for a sample's route mostly (so it reaches the handler), else for any path of the surface. */
function withBody(surface: FuzzSurface, random: FuzzRandom, kind: FuzzKind, body: Buffer, contentType: string | undefined): FuzzRequest {
  const sample = random.chance(0.7) ? pickSample(surface, random) : undefined;
  if (sample) return sampleRequest(surface, random, kind, sample, body, contentType);
  return {
    kind,
    method: bodyMethod(surface, random),
    path: basePath(surface, random, false),
    headers: [...baseHeaders(surface), ...(contentType === undefined ? [] : [["content-type", contentType] as [string, string]])],
    body,
  };
}

function build(surface: FuzzSurface, random: FuzzRandom, kind: FuzzKind): FuzzRequest {
  const limit = surface.bodyLimitBytes ?? 1_048_576;
  switch (kind) {
    case "junk-body":
    case "wrong-type": {
      const text = random.pick([
        () => "{not json",
        () => '{"a":',
        () => "",
        () => "null",
        () => '"a string"',
        () => "12",
        () => "[]",
        () => JSON.stringify(randomJson(random)),
        () => JSON.stringify({ ...(sampleOf(surface, random) as object), ...(randomJson(random) as object) }),
        () => '{"a":1,"a":2}',
        () => '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        () => "\ufeff{}",
        () => '{"a":1e999999}',
        () => '{"a":"\\ud800"}',
      ])();
      return withBody(surface, random, kind, Buffer.from(text), "application/json");
    }
    case "deep-json": {
      const depth = random.pick([64, 512, 5_000, 50_000, 200_000]);
      if (random.chance(0.5)) return withBody(surface, random, kind, Buffer.from(deepJsonText(depth, random.chance(0.5) ? "array" : "object")), "application/json");
      // Deep inside a valid body, where a handler walks it (free-form fields, schemas, patches).
      const sample = pickSample(surface, random);
      if (!sample) return withBody(surface, random, kind, Buffer.from(deepJsonText(depth)), "application/json");
      const paths = fieldPaths(sample.body);
      // Spliced in as text: JSON.stringify itself overflows the stack on values this deep.
      const deep = deepJsonText(depth, random.chance(0.5) ? "array" : "object");
      const marked = paths.length > 0 ? JSON.stringify(withField(sample.body, random.pick(paths), DEEP_MARK)) : JSON.stringify(DEEP_MARK);
      return sampleRequest(surface, random, kind, sample, Buffer.from(marked.replace(JSON.stringify(DEEP_MARK), deep)), sample.contentType);
    }
    case "huge-body": {
      const size = random.pick([Math.floor(limit * 0.9), limit + 1, 64_000, 200_000]);
      return withBody(surface, random, kind, Buffer.from(hugeJsonText(random, size)), random.chance(0.8) ? "application/json" : "text/plain");
    }
    case "invalid-utf8": {
      const where = random.int(4);
      if (where === 0) return withBody(surface, random, kind, invalidUtf8Json(random, sampleOf(surface, random) as Record<string, unknown>), "application/json");
      // Header values and paths are sent as Latin-1, so these are the raw UTF-8 bytes of odd text (or bytes that are not UTF-8).
      const bytes = random.pick(["\u00ff\u00fe", "\u00c0\u00af", "\u00e5\u0090\u008d", "\u00ed\u00a0\u0080"]);
      if (where === 1) return { kind, method: "GET", path: `${basePath(surface, random, false)}${bytes}`, headers: baseHeaders(surface) };
      if (where === 2) return { kind, method: "GET", path: basePath(surface, random), headers: [...baseHeaders(surface), [random.pick([...commonHeaders, ...(surface.headers ?? [])]), bytes]] };
      return { kind, method: "GET", path: `${basePath(surface, random, false)}?${random.pick(surface.params ?? ["q"])}=${bytes}`, headers: baseHeaders(surface) };
    }
    case "content-type": {
      const sample = pickSample(surface, random);
      const text = JSON.stringify(sample?.body ?? { name: "fuzz" });
      const type = random.pick([...contentTypes, ...(surface.contentTypes ?? [])]);
      const body = random.pick([Buffer.from(text), Buffer.from(`a: [${text}`), Buffer.from("k8s\u0000\u00ff\u0012\u0003abc", "latin1"), Buffer.from("--x\r\n\r\n")]);
      const contentType = random.chance(0.1) ? undefined : type;
      return sample ? sampleRequest(surface, random, kind, sample, body, contentType) : withBody(surface, random, kind, body, contentType);
    }
    case "header": {
      const headers = baseHeaders(surface).filter(() => random.chance(0.8));
      for (let n = 1 + random.int(3); n > 0; n--) {
        const name = random.pick([...commonHeaders, ...(surface.headers ?? [])]);
        const value = name === "authorization" ? random.pick(authorizations) : random.pick([...oddHeaderValues, ...oddStrings.filter(isHeaderSafe)]);
        headers.push([name, value]);
        if (random.chance(0.2)) headers.push([name, value]);
      }
      if (random.chance(0.1)) headers.push([`x-${"h".repeat(200)}`, "v"]);
      const method = random.pick(["GET", ...surface.methods]);
      const body = method === "GET" || method === "DELETE" ? undefined : Buffer.from(JSON.stringify(sampleOf(surface, random)));
      return { kind, method, path: basePath(surface, random), headers: body ? [...headers, ["content-type", "application/json"]] : headers, ...(body ? { body } : {}) };
    }
    case "rebinding": {
      const host = random.pick(["attacker.example", "attacker.example:8000", "localhost.attacker.example", "127.0.0.1.nip.io", "api.localhost.attacker.example", "[::1]"]);
      const headers: [string, string][] = [...baseHeaders(surface), ["host", host]];
      if (random.chance(0.5)) headers.push(["origin", random.pick(["http://attacker.example", "null", "http://localhost.attacker.example", "file://"])]);
      return { kind, method: random.pick(["GET", ...surface.methods]), path: basePath(surface, random, false), headers };
    }
    case "path": {
      const path = random.pick([
        () => `${basePath(surface, random)}/..%2f..%2f`,
        () => `/${basePath(surface, random)}`,
        () => `${basePath(surface, random)}//`,
        () => basePath(surface, random).replaceAll("/", "%2F"),
        () => `${basePath(surface, random)}%`,
        () => `${basePath(surface, random)}%zz%e5%90`,
        () => `${basePath(surface, random)}%c3%28`,
        () => `${basePath(surface, random)}/${"a".repeat(8000)}`,
        () => `${basePath(surface, random)}/./../.././`,
        () => `${basePath(surface, random)}#frag`,
        () => "*",
        () => "http://attacker.example/",
        () => `${basePath(surface, random)};jsessionid=1`,
        () => basePath(surface, random).toUpperCase(),
        () => `${basePath(surface, random)}/extra/segments/here`,
      ])();
      return { kind, method: random.pick(["GET", ...surface.methods]), path, headers: baseHeaders(surface) };
    }
    case "query": {
      const params = [...(surface.params ?? []), "__proto__", "constructor[prototype][x]", ""];
      const parts: string[] = [];
      for (let n = 1 + random.int(4); n > 0; n--) {
        const name = random.pick(params);
        const value = random.pick(["", "abc", "-1", "0", "1e309", "999999999999999999999", "true", "%", "%zz", "%c3%28", "a%00b", "x".repeat(4000), "%3D%3D%3D", "(", "a,b", "[]"]);
        parts.push(random.chance(0.1) ? name : `${name}=${value}`);
        if (random.chance(0.3)) parts.push(`${name}=${value === "" ? "again" : ""}`);
      }
      const query = random.chance(0.05) ? "&&&=&" : parts.join("&");
      return { kind, method: random.pick(["GET", "GET", ...surface.methods]), path: `${basePath(surface, random)}?${query}`, headers: baseHeaders(surface) };
    }
    case "method": {
      const method = random.pick([...oddMethods, ...surface.methods]);
      return { kind, method, path: basePath(surface, random), headers: baseHeaders(surface) };
    }
    case "raw": {
      const text = random.pick(rawRequests);
      return { kind, method: "RAW", path: "", headers: [], raw: Buffer.from(text, "latin1") };
    }
  }
}

function isHeaderSafe(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
}
