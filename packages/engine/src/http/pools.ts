import { Pool } from "undici";
import { defaultEgressGuard, type EgressGuard } from "../tools/egress.js";

/** Keep-alive connection pools, one per origin, shared by every provider that talks to it; every connection passes the egress guard. */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();
  private readonly options: Pool.Options;

  constructor(options: Pool.Options & { egress?: EgressGuard } = {}) {
    const { egress = defaultEgressGuard, ...pool } = options;
    this.options = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000, ...pool, connect: egress.connect };
  }

  forOrigin(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool || pool.closed || pool.destroyed) {
      pool = new Pool(origin, this.options);
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/** The process-wide pools used when a provider is not given its own (metadata addresses refused). */
export const sharedHttpPools = new HttpPools();
