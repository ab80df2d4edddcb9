import { Pool } from "undici";

/** Keep-alive connection pools, one per origin, shared by every provider that talks to it. */
export class HttpPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: Pool.Options = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 }) {}

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

/** The process-wide pools used when a provider is not given its own. */
export const sharedHttpPools = new HttpPools();
