import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { Agent, type Dispatcher } from "undici";

/** Cloud metadata endpoints (AWS, GCP, Azure, OCI, Alibaba, ECS task metadata) refused unless allowed (ARCHITECTURE §7.7). */
export const METADATA_DENY_LIST: readonly string[] = [
  "169.254.0.0/16",
  "fe80::/10",
  "fd00:ec2::254/128",
  "100.100.100.200/32",
  "metadata.google.internal",
  "metadata.goog",
  "metadata",
  "instance-data",
  "instance-data.ec2.internal",
];

/**
 * Where HTTP tools may connect. Entries are IPs, CIDRs, host names or `*.suffix` names;
 * an allowed entry wins over a denied one.
 */
export interface EgressPolicy {
  allow?: readonly string[];
  /** Added to the metadata list (or replacing it when `blockMetadata` is false). */
  deny?: readonly string[];
  /** Default true. */
  blockMetadata?: boolean;
  /** `deny` refuses everything not allowed (an allow-list). Default `allow`. */
  defaultAction?: "allow" | "deny";
  /** Name resolution used for the check and the connection (tests pass a fake). */
  lookup?: LookupFunction;
}

export class EgressRefusedError extends Error {
  override readonly name = "EgressRefusedError";
}

interface Rules {
  addresses: BlockList;
  names: string[];
}

/** Checks destinations before and while connecting (the resolved IPs, so a name pointing at 169.254.169.254 is refused too). */
export class EgressGuard {
  private readonly allow: Rules;
  private readonly deny: Rules;
  private readonly defaultAllows: boolean;
  private readonly resolve: LookupFunction;
  private agent: Agent | undefined;

  constructor(policy: EgressPolicy = {}) {
    this.allow = compileRules(policy.allow ?? []);
    this.deny = compileRules([...(policy.blockMetadata === false ? [] : METADATA_DENY_LIST), ...(policy.deny ?? [])]);
    this.defaultAllows = policy.defaultAction !== "deny";
    this.resolve = policy.lookup ?? (dnsLookup as LookupFunction);
  }

  /** Throws EgressRefusedError when `host` (a name or an IP literal, as in a URL) may not be reached. */
  checkHost(host: string): void {
    const bare = unbracket(host).toLowerCase().replace(/\.$/, "");
    if (isIP(bare)) return this.checkAddress(bare, bare);
    if (matchesName(this.allow.names, bare)) return;
    if (matchesName(this.deny.names, bare)) throw refused(bare, "its name is on the egress deny list");
  }

  /** Whether a host name was explicitly allowed (then its addresses are not checked). */
  private nameAllowed(host: string): boolean {
    return matchesName(this.allow.names, host.toLowerCase().replace(/\.$/, ""));
  }

  private checkAddress(address: string, host: string): void {
    const ip = normalizeAddress(address);
    const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (this.allow.addresses.check(ip, family)) return;
    const what = host === ip ? ip : `${host} resolves to ${ip}`;
    if (this.deny.addresses.check(ip, family)) throw refused(what, "a cloud metadata or denied address");
    if (!this.defaultAllows) throw refused(what, "not on the egress allow list");
  }

  /** A `net` lookup that refuses the connection when any resolved address is not allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, { ...options, all: true }, (error, result, family) => {
      if (error) return callback(error, "", 0);
      const addresses: LookupAddress[] = Array.isArray(result) ? result : [{ address: result, family: family ?? 4 }];
      try {
        this.checkHost(hostname);
        if (!this.nameAllowed(hostname)) for (const { address } of addresses) this.checkAddress(address, hostname);
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, "", 0);
      }
      if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };

  /** The undici dispatcher whose connections go through `lookup`. */
  get dispatcher(): Dispatcher {
    this.agent ??= new Agent({ connect: { lookup: this.lookup }, keepAliveTimeout: 10_000 });
    return this.agent;
  }

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    await agent?.close();
  }
}

/** The guard HTTP tools use when the caller configures none: metadata addresses refused. */
export const defaultEgressGuard = new EgressGuard();

/** The refusal in an error's cause chain (undici wraps connection errors). */
export function findEgressRefusal(error: unknown): EgressRefusedError | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof EgressRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function refused(what: string, why: string): EgressRefusedError {
  return new EgressRefusedError(`egress to ${what} refused: ${why}`);
}

function compileRules(entries: readonly string[]): Rules {
  const addresses = new BlockList();
  const names: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const [ip, prefix] = entry.split("/") as [string, string | undefined];
    const family = isIP(ip);
    if (family === 0) {
      if (entry) names.push(entry.replace(/\.$/, ""));
    } else if (prefix === undefined) {
      addresses.addAddress(ip, family === 6 ? "ipv6" : "ipv4");
    } else {
      addresses.addSubnet(ip, Number(prefix), family === 6 ? "ipv6" : "ipv4");
    }
  }
  return { addresses, names };
}

function matchesName(names: readonly string[], host: string): boolean {
  return names.some((name) => (name.startsWith("*.") ? host.endsWith(name.slice(1)) : host === name));
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

// IPv4-mapped IPv6 (::ffff:169.254.169.254, ::ffff:a9fe:a9fe) is checked as the IPv4 address it carries.
function normalizeAddress(address: string): string {
  const ip = unbracket(address).toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (!hex) return ip;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}
