import { setTimeout as delay } from "node:timers/promises";
import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease, type V1LeaseSpec } from "@kubernetes/client-node";
import { apiErrorMessage, isConflict, isNotFound } from "./errors.js";
import { consoleLogger, type KubeLogger } from "./logger.js";

export interface LeaderElectionOptions {
  /** The Lease (coordination.k8s.io/v1) the candidates share. */
  namespace: string;
  name: string;
  /** Unique per candidate, e.g. the pod name. */
  identity: string;
  /** How long others wait after the last renewal they saw before taking over; default 15. */
  leaseDurationSeconds?: number;
  /** A leader that has not renewed for this long gives up; default 10 s, below the lease duration. */
  renewDeadlineMs?: number;
  /** Between attempts to acquire or renew; default 2 s. */
  retryPeriodMs?: number;
  /** Called on becoming leader; `signal` aborts when leadership ends. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when leadership ends: lost (renewal failed or someone else holds the lease) or released by stop(). */
  onStoppedLeading(): void | Promise<void>;
  onNewLeader?(identity: string): void;
  log?: KubeLogger;
}

export interface LeaderElector {
  /** Campaigns until stop(); after losing leadership it becomes a candidate again. */
  start(): void;
  /** Stops campaigning and, when leading, releases the lease so another candidate takes over at once. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

type Attempt = "leading" | "held-by-other" | "retry";

/**
 * Lease-based leader election as client-go's: holderIdentity, leaseDurationSeconds, acquireTime, renewTime,
 * leaseTransitions; writes are conditional on resourceVersion; a lease counts as expired once its record has not
 * changed for leaseDurationSeconds by this candidate's own clock (no trust in other clocks).
 */
export function createLeaderElector(kc: KubeConfig, options: LeaderElectionOptions): LeaderElector {
  const api = kc.makeApiClient(CoordinationV1Api);
  const { namespace, name, identity } = options;
  const leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
  const renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
  const retryPeriodMs = options.retryPeriodMs ?? 2_000;
  const log = options.log ?? consoleLogger;

  let running = false;
  let leading: AbortController | undefined;
  let lastRenewAt = 0;
  let observed: { record: string; at: number } | undefined;
  let knownLeader: string | undefined;
  let wake: AbortController | undefined;
  let loopDone: Promise<void> = Promise.resolve();

  const spec = (lease: V1Lease | undefined): V1LeaseSpec => lease?.spec ?? {};
  const now = () => new V1MicroTime(Date.now());

  function observe(lease: V1Lease): void {
    const s = spec(lease);
    const record = JSON.stringify([s.holderIdentity, String(s.renewTime), s.leaseTransitions]);
    if (observed?.record !== record) observed = { record, at: Date.now() };
    const holder = s.holderIdentity ?? "";
    if (holder && holder !== knownLeader) {
      knownLeader = holder;
      options.onNewLeader?.(holder);
    }
  }

  async function tryAcquireOrRenew(): Promise<Attempt> {
    let lease: V1Lease;
    try {
      lease = await api.readNamespacedLease({ namespace, name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const time = now();
      const body: V1Lease = {
        metadata: { name, namespace },
        spec: { holderIdentity: identity, leaseDurationSeconds, acquireTime: time, renewTime: time, leaseTransitions: 0 },
      };
      try {
        observe(await api.createNamespacedLease({ namespace, body }));
        return "leading";
      } catch (createErr) {
        if (isConflict(createErr)) return "retry";
        throw createErr;
      }
    }
    observe(lease);
    const current = spec(lease);
    const holder = current.holderIdentity ?? "";
    const heldByOther = holder !== "" && holder !== identity;
    const duration = (current.leaseDurationSeconds ?? leaseDurationSeconds) * 1000;
    if (heldByOther && observed && observed.at + duration > Date.now()) return "held-by-other";
    const time = now();
    const next: V1LeaseSpec = {
      ...current,
      holderIdentity: identity,
      leaseDurationSeconds,
      renewTime: time,
      acquireTime: holder === identity ? current.acquireTime : time,
      leaseTransitions: (current.leaseTransitions ?? 0) + (holder === identity ? 0 : 1),
    };
    try {
      observe(await api.replaceNamespacedLease({ namespace, name, body: { ...lease, spec: next } }));
      return "leading";
    } catch (err) {
      if (isConflict(err)) return "retry";
      throw err;
    }
  }

  function startLeading(): void {
    const controller = new AbortController();
    leading = controller;
    log.info({ lease: `${namespace}/${name}`, identity }, "became leader");
    invoke(() => options.onStartedLeading(controller.signal));
  }

  function stopLeading(reason: string): void {
    if (!leading) return;
    leading.abort();
    leading = undefined;
    log.warn({ lease: `${namespace}/${name}`, identity, reason }, "leadership ended");
    invoke(() => options.onStoppedLeading());
  }

  function invoke(callback: () => void | Promise<void>): void {
    try {
      void Promise.resolve(callback()).catch((err: unknown) => log.error({ err: apiErrorMessage(err) }, "leader election callback failed"));
    } catch (err) {
      log.error({ err: apiErrorMessage(err) }, "leader election callback failed");
    }
  }

  async function campaign(): Promise<void> {
    while (running) {
      let attempt: Attempt;
      try {
        attempt = await tryAcquireOrRenew();
      } catch (err) {
        log.warn({ lease: `${namespace}/${name}`, err: apiErrorMessage(err) }, "lease acquire/renew failed");
        attempt = "retry";
      }
      if (!running) break;
      if (attempt === "leading") {
        lastRenewAt = Date.now();
        if (!leading) startLeading();
      } else if (leading && (attempt === "held-by-other" || Date.now() - lastRenewAt >= renewDeadlineMs)) {
        stopLeading(attempt === "held-by-other" ? "lease taken by another holder" : "renew deadline passed");
      }
      // Candidates jitter so they do not all retry at once.
      await sleep(leading ? retryPeriodMs : retryPeriodMs * (1 + Math.random() * 0.2));
    }
  }

  async function sleep(ms: number): Promise<void> {
    wake = new AbortController();
    await delay(ms, undefined, { signal: wake.signal }).catch(() => undefined);
    wake = undefined;
  }

  async function release(): Promise<void> {
    try {
      const lease = await api.readNamespacedLease({ namespace, name });
      if (spec(lease).holderIdentity !== identity) return;
      const time = now();
      const released: V1LeaseSpec = { ...spec(lease), holderIdentity: "", leaseDurationSeconds: 1, acquireTime: time, renewTime: time };
      await api.replaceNamespacedLease({ namespace, name, body: { ...lease, spec: released } });
    } catch (err) {
      if (isNotFound(err)) return;
      log.warn({ lease: `${namespace}/${name}`, err: apiErrorMessage(err) }, "lease release failed; others take over when it expires");
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = campaign();
    },
    async stop() {
      if (!running) return;
      running = false;
      wake?.abort();
      await loopDone;
      // An attempt in flight when stop() was called may have taken the lease without us leading yet.
      await release();
      stopLeading("stopped");
    },
    isLeader: () => leading !== undefined,
  };
}
