import { createPgPool } from "@ark/service-kit";
import { createTestDatabase, testPostgres, type TestDatabase } from "@ark/testing/vitest";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../kube-object.js";
import { ChangeLog } from "./change-log.js";
import { AlreadyExistsError, PreconditionFailedError } from "./errors.js";
import { migrateDatabase } from "./migrate.js";
import { ObjectStore } from "./object-store.js";

const configMap = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", uid: `uid-${name}`, labels },
  data: { note: "it's a \\ test" },
});
const keyOf = (name: string) => ({ group: "", resource: "configmaps", namespace: "default", name });

describe.skipIf(!testPostgres())("object store writes (group commit)", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let store: ObjectStore;
  beforeAll(async () => {
    db = await createTestDatabase({ label: "apiserver-group-commit" });
    pool = createPgPool(db.url, { max: 4 });
    await migrateDatabase(pool);
    store = new ObjectStore(pool);
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it("commits concurrent writes with distinct, increasing resourceVersions, each logged once", async () => {
    const written = await Promise.all(Array.from({ length: 60 }, (_, i) => store.commit({ type: "ADDED", key: keyOf(`cm${i}`), object: configMap(`cm${i}`) })));
    const rvs = written.map((w) => w.resourceVersion);
    expect(new Set(rvs).size).toBe(60);
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    for (const w of written) {
      expect(JSON.parse(w.text)).toEqual(w.object);
      expect(w.object.metadata.resourceVersion).toBe(String(w.resourceVersion));
      expect(await store.get(keyOf(w.object.metadata.name!))).toEqual({ object: w.object, text: w.text, resourceVersion: w.resourceVersion });
    }
    const logged = await new ChangeLog(pool).after(rvs[0]! - 1, 1000);
    expect(logged.map((c) => [c.rv, c.type, c.name, c.object])).toEqual(written.map((w) => [w.resourceVersion, "ADDED", w.object.metadata.name, w.text]));
  });

  it("lets exactly one of two updates from the same resourceVersion win, and refuses a second create", async () => {
    const current = (await store.get(keyOf("cm0")))!;
    const update = (value: string) =>
      store.commit({
        type: "MODIFIED",
        key: keyOf("cm0"),
        object: { ...current.object, data: { value } },
        expectedResourceVersion: current.resourceVersion,
        previousText: current.text,
      });
    const outcomes = await Promise.allSettled([update("a"), update("b"), store.commit({ type: "ADDED", key: keyOf("cm0"), object: configMap("cm0") })]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected"]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyExistsError);
    expect((await store.get(keyOf("cm0")))!.object.data).toEqual({ value: "a" });
    const won = (outcomes[0] as PromiseFulfilledResult<{ resourceVersion: number; text: string }>).value;
    const [logged] = await new ChangeLog(pool).after(won.resourceVersion - 1, 1);
    expect(logged).toMatchObject({ rv: won.resourceVersion, type: "MODIFIED", object: won.text, prevObject: current.text });
  });

  it("fails only the write the database refuses when it shares a transaction with others", async () => {
    const outcomes = await Promise.allSettled([
      store.commit({ type: "ADDED", key: keyOf("fine-1"), object: configMap("fine-1") }),
      // jsonb cannot hold \u0000: this statement errors and spoils its transaction.
      store.commit({ type: "ADDED", key: keyOf("bad"), object: configMap("bad", { x: "a\u0000b" }) }),
      store.commit({ type: "ADDED", key: keyOf("fine-2"), object: configMap("fine-2") }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await store.get(keyOf("bad"))).toBeUndefined();
    expect((await store.get(keyOf("fine-2")))?.object.metadata.name).toBe("fine-2");
  });

  it("deletes conditionally and logs the final state with the deletion's resourceVersion", async () => {
    const current = (await store.get(keyOf("cm1")))!;
    await expect(store.commit({ type: "DELETED", key: keyOf("cm1"), object: current.object, expectedResourceVersion: current.resourceVersion - 1 })).rejects.toBeInstanceOf(PreconditionFailedError);
    const deleted = await store.commit({ type: "DELETED", key: keyOf("cm1"), object: current.object, expectedResourceVersion: current.resourceVersion, previousText: current.text });
    expect(await store.get(keyOf("cm1"))).toBeUndefined();
    const [logged] = await new ChangeLog(pool).after(deleted.resourceVersion - 1, 1);
    expect(logged).toMatchObject({ rv: deleted.resourceVersion, type: "DELETED", object: deleted.text, prevObject: current.text });
  });
  it("stores new Events of one transaction in one call: each its own rv, in order, a duplicate key refused", async () => {
    const eventKey = (name: string) => ({ group: "", resource: "events", namespace: "default", name });
    const event = (name: string, message: string): KubeObject =>
      ({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace: "default", uid: `uid-${name}` },
        message,
      }) as KubeObject;
    // The first write holds the committer while the others queue up: they share the next transaction.
    const outcomes = await Promise.allSettled([
      store.commit({ type: "ADDED", key: keyOf("before-events"), object: configMap("before-events") }),
      ...["ev1", "ev2", "ev1", "ev3"].map((name, i) => store.commit({ type: "ADDED", key: eventKey(name), object: event(name, `'quoted' \\ ${i}`) })),
      store.commit({ type: "ADDED", key: keyOf("between-events"), object: configMap("between-events") }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"]);
    expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyExistsError);
    const events = [1, 2, 4].map((i) => (outcomes[i] as PromiseFulfilledResult<{ resourceVersion: number; text: string }>).value);
    expect(events.map((e) => e.resourceVersion)).toEqual(events.map((e) => e.resourceVersion).sort((a, b) => a - b));
    for (const [i, name] of ["ev1", "ev2", "ev3"].entries()) {
      const stored = await store.get(eventKey(name));
      expect(stored).toEqual({ object: JSON.parse(events[i]!.text), text: events[i]!.text, resourceVersion: events[i]!.resourceVersion });
      expect((stored!.object as unknown as { message: string }).message).toBe(`'quoted' \\ ${i === 2 ? 3 : i}`);
    }
    const logged = await new ChangeLog(pool).after(events[0]!.resourceVersion - 1, 1000);
    expect(logged.filter((c) => c.resource === "events").map((c) => [c.rv, c.type, c.name, c.object])).toEqual(events.map((e) => [e.resourceVersion, "ADDED", JSON.parse(e.text).metadata.name, e.text]));
  });

  it("deletes Events of one transaction in one call, each only from the resourceVersion it was read at", async () => {
    const eventKey = (name: string) => ({ group: "", resource: "events", namespace: "default", name });
    const current = await Promise.all(["ev1", "ev2", "ev3"].map(async (name) => (await store.get(eventKey(name)))!));
    const remove = (i: number, expected: number) =>
      store.commit({ type: "DELETED", key: eventKey(current[i]!.object.metadata.name!), object: current[i]!.object, expectedResourceVersion: expected, previousText: current[i]!.text });
    const outcomes = await Promise.allSettled([
      store.commit({ type: "ADDED", key: keyOf("before-deletes"), object: configMap("before-deletes") }),
      remove(0, current[0]!.resourceVersion),
      remove(1, current[1]!.resourceVersion - 1),
      remove(2, current[2]!.resourceVersion),
      remove(2, current[2]!.resourceVersion),
    ]);
    // Of the two deletes of ev3 from the same resourceVersion, exactly one wins.
    expect(outcomes.slice(0, 3).map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
    expect(
      outcomes
        .slice(3)
        .map((o) => o.status)
        .sort(),
    ).toEqual(["fulfilled", "rejected"]);
    for (const refused of outcomes.filter((o) => o.status === "rejected")) expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(PreconditionFailedError);
    expect(await store.get(eventKey("ev1"))).toBeUndefined();
    expect(await store.get(eventKey("ev2"))).toEqual(current[1]);
    expect(await store.get(eventKey("ev3"))).toBeUndefined();
    const deleted = [1, outcomes[3]!.status === "fulfilled" ? 3 : 4].map((i) => (outcomes[i] as PromiseFulfilledResult<{ resourceVersion: number; text: string }>).value);
    const logged = await new ChangeLog(pool).after(deleted[0]!.resourceVersion - 1, 1000);
    expect(logged.filter((c) => c.resource === "events").map((c) => [c.rv, c.type, c.name, c.object, c.prevObject])).toEqual(
      deleted.map((d, i) => [d.resourceVersion, "DELETED", ["ev1", "ev3"][i], d.text, current[i === 0 ? 0 : 2]!.text]),
    );
    expect(JSON.parse(deleted[0]!.text).metadata.resourceVersion).toBe(String(deleted[0]!.resourceVersion));
  });

  it("stores hostile text (quotes, backslashes, dollar quotes, SQL, unicode) byte for byte, in one batch", async () => {
    const hostile = [
      "'; DROP TABLE objects; --",
      "\\'); SELECT pg_sleep(10); --",
      "E'\\x00' || $$ $tag$ $$",
      "trailing backslash \\",
      "emoji 🚀 and ünïcode, \u2028 line separator",
      '{"json": "in json", "rv": "ark-rv-placeholder"}',
    ];
    const written = await Promise.all(hostile.map((value, i) => store.commit({ type: "ADDED", key: keyOf(`hostile${i}`), object: { ...configMap(`hostile${i}`, { note: `v${i}` }), data: { value } } })));
    for (const [i, w] of written.entries()) {
      const stored = await store.get(keyOf(`hostile${i}`));
      expect((stored!.object as unknown as { data: { value: string } }).data.value).toBe(hostile[i]);
      expect(stored?.text).toBe(w.text);
    }
    expect((await pool.query("select count(*)::int as n from objects")).rows[0].n).toBeGreaterThan(0);
  });
});
