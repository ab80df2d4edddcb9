import { createHash } from "node:crypto";

/** Who a watch counts against: its bearer token, hashed (the token itself is not kept). */
export function watchClientOf(authorization: string | undefined): string {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
  return token ? createHash("sha256").update(token).digest("hex").slice(0, 32) : "anonymous";
}

/** Open watches per client, at most `perClient` each. */
export class WatchQuota {
  private readonly open = new Map<string, number>();

  constructor(readonly perClient: number) {}

  /** Takes a slot for `client`, or returns undefined when it has none left; the returned release is idempotent. */
  acquire(client: string): (() => void) | undefined {
    const held = this.open.get(client) ?? 0;
    if (held >= this.perClient) return undefined;
    this.open.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(client) ?? 1) - 1;
      if (now <= 0) this.open.delete(client);
      else this.open.set(client, now);
    };
  }

  held(client: string): number {
    return this.open.get(client) ?? 0;
  }
}
