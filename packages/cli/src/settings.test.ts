import { describe, expect, it } from "vitest";
import { createProgram } from "./program.js";
import { resolveSettings, settingsOf } from "./settings.js";

describe("resolveSettings", () => {
  it("defaults to the local stack's ark-api and the default namespace", () => {
    expect(resolveSettings({}, {})).toEqual({ server: "http://127.0.0.1:8000", namespace: "default" });
  });

  it("takes the environment, and flags over it", () => {
    const env = { ARK_SERVER: "http://api:8000/", ARK_NAMESPACE: "team-a", ARK_API_KEY: "k-env" };
    expect(resolveSettings({}, env)).toEqual({ server: "http://api:8000", namespace: "team-a", apiKey: "k-env" });
    expect(resolveSettings({ server: "http://other", namespace: "b", apiKey: "k-flag" }, env)).toEqual({ server: "http://other", namespace: "b", apiKey: "k-flag" });
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
