import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { devApiKeyPath, ensureDevApiKey } from "./dev/admin-key.js";
import { writeStackFile } from "./dev/stack-file.js";
import { createProgram } from "./program.js";
import { resolveSettings, settingsOf } from "./settings.js";

describe("resolveSettings", () => {
  it("defaults to the local stack's ark-api and the default namespace", () => {
    expect(resolveSettings({}, {}, () => undefined)).toEqual({ server: "http://127.0.0.1:8000", namespace: "default" });
  });

  it("takes the environment, and flags over it", () => {
    const env = { ARK_SERVER: "http://api:8000/", ARK_NAMESPACE: "team-a", ARK_API_KEY: "k-env" };
    expect(resolveSettings({}, env)).toEqual({ server: "http://api:8000", namespace: "team-a", apiKey: "k-env" });
    expect(resolveSettings({ server: "http://other", namespace: "b", apiKey: "k-flag" }, env)).toEqual({ server: "http://other", namespace: "b", apiKey: "k-flag" });
  });
});

describe("the dev stack's API key", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), "ark-settings-"));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it("is generated 0600 once, and sent by the CLI to that stack's ark-api only", async () => {
    const key = await ensureDevApiKey(home);
    expect(key).toMatch(/^ark_dev_[A-Za-z0-9_-]{32}$/);
    expect(statSync(devApiKeyPath(home)).mode & 0o777).toBe(0o600);
    expect(await ensureDevApiKey(home)).toBe(key);
    const env = { ARK_HOME: home };
    expect(resolveSettings({}, env).apiKey, "no stack running").toBeUndefined();
    await writeStackFile(home, { pid: 1, startedAt: "", services: [{ name: "ark-api", url: "http://127.0.0.1:18000" }] });
    expect(resolveSettings({ server: "http://127.0.0.1:18000" }, env).apiKey).toBe(key);
    expect(resolveSettings({ server: "http://localhost:18000/" }, env).apiKey).toBe(key);
    expect(resolveSettings({}, env).apiKey, "another port").toBeUndefined();
    expect(resolveSettings({ server: "http://ark.example.com:18000" }, env).apiKey, "another host").toBeUndefined();
    expect(resolveSettings({ server: "http://127.0.0.1:18000", apiKey: "mine" }, env).apiKey).toBe("mine");
  });
});

describe("the command line", () => {
  function parse(args: string[]) {
    const program = createProgram();
    let seen: ReturnType<typeof settingsOf> | undefined;
    program.command("probe-settings").action((_opts, command) => {
      seen = settingsOf(command);
    });
    for (const command of [program, ...program.commands]) command.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    return program.parseAsync(["node", "ark", ...args]).then(() => seen);
  }

  it("reads the global flags before or after the command", async () => {
    expect(await parse(["-n", "x", "--server", "http://s", "probe-settings"])).toMatchObject({ namespace: "x", server: "http://s" });
    expect(await parse(["probe-settings", "--api-key", "abc"])).toMatchObject({ apiKey: "abc" });
  });

  it("rejects unknown commands and missing arguments as usage errors", async () => {
    await expect(parse(["nope"])).rejects.toMatchObject({ code: "commander.unknownCommand" });
    await expect(parse(["get"])).rejects.toMatchObject({ code: "commander.missingArgument" });
    await expect(parse(["apply"])).rejects.toMatchObject({ code: "commander.missingMandatoryOptionValue" });
  });
});
