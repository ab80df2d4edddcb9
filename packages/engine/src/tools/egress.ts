import { ClassifiedError } from "@ark/types";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector, type Dispatcher, fetch as undiciFetch } from "undici";

/** Cloud metadata endpoints (AWS, GCP, Azure, OCI, Alibaba, ECS task metadata): refused for every outbound call unless an address entry allows them. */
export const METADATA_DENY_LIST: readonly string[] = [
  "169.254.0.0/16",
  "fe80::/10",
  "fd00:ec2::254/128",
  "100.100.100.200/32",
  "168.63.129.16/32",
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "metadata.azure.com",
  "instance-data",
  "instance-data.ec2.internal",
];

/** Where a host's and a cluster's own services live: loopback, private, shared, multicast and unspecified ranges. */
const INTERNAL_DENY_LIST: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::/128",
  "::1/128",
  "fc00::/7",
  "fec0::/10",
  "ff00::/8",
  "localhost",
  "*.localhost",
  "localhost.localdomain",
];

/** ARK's services and the Kubernetes API, refused by name (bare, `.namespace`, `.namespace.svc[.cluster-domain]`) for tenant tools. */
const ARK_SERVICE_NAMES: readonly string[] = ["ark-apiserver", "ark-api", "ark-mcp", "ark-controller", "postgres-memory", "localhost-gateway", "nats", "postgres", "postgresql", "kubernetes"];

/**
 * Where outbound calls may connect. Entries: an IP, a CIDR, `IP:port`, `[IPv6]:port`, a host name, `*.suffix`,
 * or either name form with `:port`. An allowed entry wins over a denied one (an allowed name opens the addresses
 * it resolves to), except that only an address entry opens a metadata address.
 */
export interface EgressPolicy {
  allow?: readonly string[];
  /** Added to the metadata (and internal) lists. */
  deny?: readonly string[];
  /** Default true. */
  blockMetadata?: boolean;
  /** Also refuse INTERNAL_DENY_LIST and ARK_SERVICE_NAMES (tenant HTTP tools and MCP servers). Default false. */
  blockInternal?: boolean;
  /** `deny` refuses everything not allowed (an allow-list). Default `allow`. */
  defaultAction?: "allow" | "deny";
  /** Name resolution used for the check and the connection (tests pass a fake). */
  lookup?: LookupFunction;
}

/** An address the tenant's egress rules refuse: the tool's configuration, the user's to change. */
export class EgressRefusedError extends ClassifiedError {
  override readonly name = "EgressRefusedError";
  constructor(message: string) {
    super("user", "EGRESS_REFUSED", message);
  }
}

interface Rule {
  /** Only this port when set. */
  port?: number;
  addresses?: BlockList;
  /** `name` or `*.suffix`. */
  name?: string;
  /** A cluster service: the bare name, `name.namespace`, `name.namespace.svc[.cluster-domain]`. */
  service?: RegExp;
}

type Connector = buildConnector.connector;

/**
 * Checks destinations when connecting: a literal address before the socket opens, a name by the addresses the
 * socket will use (resolved once, in the connection's own lookup), so a DNS answer that changes between a check
 * and the connect (rebinding) cannot slip through.
 */
export class EgressGuard {
  private readonly allow: Rule[];
  private readonly deny: Rule[];
  private readonly metadata: Rule[];
  private readonly internal: Rule[];
  private readonly defaultAllows: boolean;
  private readonly resolve: LookupFunction;
  private readonly connectors = new Map<number, Connector>();
  private agent: Agent | undefined;

  constructor(policy: EgressPolicy = {}) {
    this.allow = compileRules(policy.allow ?? []);
    this.deny = compileRules(policy.deny ?? []);
    this.metadata = policy.blockMetadata === false ? [] : compileRules(METADATA_DENY_LIST);
    this.internal = policy.blockInternal ? [...compileRules(INTERNAL_DENY_LIST), ...ARK_SERVICE_NAMES.map(serviceRule)] : [];
    this.defaultAllows = policy.defaultAction !== "deny";
    this.resolve = policy.lookup ?? (dnsLookup as LookupFunction);
  }

  /** Throws EgressRefusedError when `url` may not be reached (its name or literal address; the connection checks resolved ones). */
  checkUrl(url: URL): void {
    this.checkHost(url.hostname, portOf(url.protocol, url.port));
  }

  /** Throws EgressRefusedError when `host` (a name or an IP literal in any notation a URL accepts) may not be reached. */
  checkHost(host: string, port?: number): void {
    const bare = canonicalHost(host);
    if (isIP(bare)) return this.checkAddress(bare, bare, port, false);
    if (this.nameAllowed(bare, port)) return;
    if (matchesAny(this.metadata, bare, port)) throw refused(bare, "a cloud metadata host name");
    if (matchesAny(this.deny, bare, port)) throw refused(bare, "its name is on the egress deny list");
    if (matchesAny(this.internal, bare, port)) throw refused(bare, "an internal or ARK service name not on the egress allow list");
  }

  private nameAllowed(host: string, port: number | undefined): boolean {
    return matchesAny(this.allow, host, port);
  }

  private checkAddress(address: string, host: string, port: number | undefined, nameAllowed: boolean): void {
    const ip = unbracket(address).toLowerCase();
    const candidates = [ip, ...(embeddedIPv4(ip) ?? [])];
    const what = host === ip ? ip : `${host} resolves to ${ip}`;
    const any = (rules: Rule[]) => candidates.some((candidate) => matchesAny(rules, candidate, port));
    const addressAllowed = any(this.allow);
    if (!addressAllowed && any(this.metadata)) throw refused(what, "a cloud metadata address");
    if (addressAllowed || nameAllowed) return;
    if (any(this.deny)) throw refused(what, "a denied address");
    if (any(this.internal)) throw refused(what, "an internal address (loopback, private or link-local) not on the egress allow list");
    if (!this.defaultAllows) throw refused(what, "not on the egress allow list");
  }

  /** A `net` lookup for connections to `port`: refuses the connection when any resolved address is not allowed. */
  private lookupFor(port: number): LookupFunction {
    return (hostname, options, callback) => {
      this.resolve(hostname, { ...options, all: true }, (error, result, family) => {
        if (error) return callback(error, "", 0);
        const addresses: LookupAddress[] = Array.isArray(result) ? result : [{ address: result, family: family ?? 4 }];
        try {
          const bare = canonicalHost(hostname);
          this.checkHost(bare, port);
          const nameAllowed = this.nameAllowed(bare, port);
          for (const { address } of addresses) this.checkAddress(address, bare, port, nameAllowed);
        } catch (refusal) {
          return callback(refusal as NodeJS.ErrnoException, "", 0);
        }
        if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
        callback(null, first.address, first.family);
      });
    };
  }

  /** An undici `connect` option: every connection of a Pool, Client or Agent built with it is checked. */
  readonly connect: Connector = (options, callback) => {
    const port = Number(options.port) || (options.protocol === "https:" ? 443 : 80);
    try {
      this.checkHost(options.hostname, port);
    } catch (refusal) {
      return callback(refusal as Error, null);
    }
    let connector = this.connectors.get(port);
    if (!connector) {
      connector = buildConnector({ lookup: this.lookupFor(port) });
      this.connectors.set(port, connector);
    }
    connector(options, callback);
  };

  /** The undici dispatcher whose connections go through `connect`. */
  get dispatcher(): Dispatcher {
    this.agent ??= new Agent({ connect: this.connect, keepAliveTimeout: 10_000 });
    return this.agent;
  }

  /** A WHATWG fetch through `dispatcher`, for clients that take one (the MCP SDK's transports); a refusal is thrown as itself. */
  readonly fetch = (async (input: string | URL, init?: RequestInit) => {
    try {
      return await undiciFetch(input, { ...(init as object), dispatcher: this.dispatcher } as Parameters<typeof undiciFetch>[1]);
    } catch (error) {
      throw findEgressRefusal(error) ?? error;
    }
  }) as unknown as typeof globalThis.fetch;

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close();
  }
}

/** The guard used when the caller configures none: metadata addresses refused, everything else allowed. */
export const defaultEgressGuard = new EgressGuard();

/** The refusal in an error's cause chain (undici wraps connection errors). */
export function findEgressRefusal(error: unknown): EgressRefusedError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof EgressRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Problems of allow/deny entries, one message per bad entry (for configuration checks at boot). */
export function egressEntryProblems(entries: readonly string[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    try {
      compileRule(entry);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

function refused(what: string, why: string): EgressRefusedError {
  return new EgressRefusedError(`egress to ${what} refused: ${why}`);
}

function compileRules(entries: readonly string[]): Rule[] {
  return entries.map((entry) => compileRule(entry)).filter((rule): rule is Rule => rule !== undefined);
}

function compileRule(raw: string): Rule | undefined {
  let entry = raw.trim().toLowerCase();
  if (!entry) return undefined;
  let port: number | undefined;
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(entry);
  if (withPort) {
    port = Number(withPort[2]);
    if (!(port > 0 && port < 65536)) throw new Error(`egress entry "${raw}": port out of range`);
    entry = unbracket(withPort[1]!);
  }
  const [ip, prefix, extra] = entry.split("/") as [string, string | undefined, string | undefined];
  const family = isIP(ip);
  const portPart = port === undefined ? {} : { port };
  if (family === 0) {
    if (prefix !== undefined || !/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/.test(entry)) {
      throw new Error(`egress entry "${raw}": not an IP, CIDR, host name or *.suffix`);
    }
    return { name: entry.replace(/\.$/, ""), ...portPart };
  }
  const addresses = new BlockList();
  const type = family === 6 ? "ipv6" : "ipv4";
  if (prefix === undefined) {
    addresses.addAddress(ip, type);
  } else {
    const bits = Number(prefix);
    if (extra !== undefined || !/^\d+$/.test(prefix) || bits > (family === 6 ? 128 : 32)) throw new Error(`egress entry "${raw}": bad prefix length`);
    addresses.addSubnet(ip, bits, type);
  }
  return { addresses, ...portPart };
}

function serviceRule(name: string): Rule {
  return { service: new RegExp(`^${name}(\\.[a-z0-9-]+(\\.svc(\\..*)?)?)?$`) };
}

function matchesAny(rules: readonly Rule[], host: string, port: number | undefined): boolean {
  const family = isIP(host);
  return rules.some((rule) => {
    if (rule.port !== undefined && rule.port !== port) return false;
    if (rule.addresses) return family !== 0 && rule.addresses.check(host, family === 6 ? "ipv6" : "ipv4");
    if (family !== 0) return false;
    if (rule.service) return rule.service.test(host);
    if (!rule.name) return false;
    return rule.name.startsWith("*.") ? host.endsWith(rule.name.slice(1)) : host === rule.name;
  });
}

function portOf(protocol: string, port: string): number {
  return Number(port) || (protocol === "https:" ? 443 : 80);
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** As a URL would read it: `2852039166`, `0xa9fea9fe` and `0251.0376.0251.0376` are 169.254.169.254; case and a final dot dropped. */
function canonicalHost(host: string): string {
  const bare = unbracket(host.trim()).toLowerCase().replace(/\.$/, "");
  if (isIP(bare)) return bare;
  try {
    return unbracket(new URL(`http://${bare.includes(":") ? `[${bare}]` : bare}/`).hostname).replace(/\.$/, "");
  } catch {
    return bare;
  }
}

/**
 * The IPv4 address an IPv6 one carries, checked like that address: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d),
 * SIIT (::ffff:0:a.b.c.d), NAT64 (64:ff9b::/96, 64:ff9b:1::/48) and 6to4 (2002::/16).
 */
function embeddedIPv4(ip: string): string[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  const words = expandIPv6(ip);
  if (!words) return undefined;
  const v4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join(".");
  const zero = (from: number, to: number) => words.slice(from, to).every((word) => word === 0);
  const last = v4(words[6]!, words[7]!);
  if (zero(0, 5) && (words[5] === 0xffff || words[5] === 0)) return words[5] === 0 && words[6] === 0 ? undefined : [last];
  if (zero(0, 4) && words[4] === 0xffff && words[5] === 0) return [last];
  if (words[0] === 0x64 && words[1] === 0xff9b && (zero(2, 6) || words[2] === 1)) return [last];
  if (words[0] === 0x2002) return [v4(words[1]!, words[2]!)];
  return undefined;
}

function expandIPv6(ip: string): number[] | undefined {
  let text = ip.split("%")[0]!;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((word) => parseInt(word, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...left, ...Array.from({ length: missing }, () => 0), ...right];
}
