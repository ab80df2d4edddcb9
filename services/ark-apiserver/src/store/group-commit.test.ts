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
  it("stores hostile text (quotes, backslashes, dollar quotes, SQL, unicode) byte for byte, in one batch", async () => {
    const hostile = [
      "'; DROP TABLE objects; --",
      "\\'); SELECT pg_sleep(10); --",
      "E'\\x00' || $$ $tag$ $$",
      "trailing backslash \\",
      "emoji 🚀 and ünïcode, \u2028 line separator",
      '{"json": "in json", "rv": "ark-rv-placeholder"}',
    ];
    const written = await Promise.all(
      hostile.map((value, i) =>
        store.commit({ type: "ADDED", key: keyOf(`hostile${i}`), object: { ...configMap(`hostile${i}`, { note: `v${i}` }), data: { value } } }),
      ),
    );
    for (const [i, w] of written.entries()) {
      const stored = await store.get(keyOf(`hostile${i}`));
      expect((stored?.object as unknown as { data: { value: string } }).data.value).toBe(hostile[i]);
      expect(stored?.text).toBe(w.text);
    }
    expect((await pool.query("select count(*)::int as n from objects")).rows[0].n).toBeGreaterThan(0);
  });
});
