import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./__tests__/slow-service.fixture.ts", import.meta.url));

interface Child {
  process: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  waitForOutput: (text: string) => Promise<void>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

function startFixture(env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", fixture], {
    env: { PATH: process.env.PATH, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const check = () => {
    for (const w of waiters.splice(0))
      if (stdout.includes(w.text)) w.resolve();
      else waiters.push(w);
  };
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        exited.then(() => reject(new Error(`exited before printing ${text}\nstdout: ${stdout}\nstderr: ${stderr}`)));
      }),
  };
}

function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

async function listeningUrl(child: Child): Promise<string> {
  await child.waitForOutput("listening on");
  const line = logLines(child.stdout()).find((l) => String(l.msg).startsWith("listening on"));
  return String(line?.url);
}

describe("runService", () => {
  it("on SIGTERM finishes the in-flight request, runs the shutdown hook, and exits 0", async () => {
    const child = startFixture({ SLOW_MS: "300" });
    const url = await listeningUrl(child);
    const slow = fetch(`${url}/slow`);
    await child.waitForOutput("slow request started");
    child.process.kill("SIGTERM");

    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    expect(await child.exited).toBe(0);
    const stdout = child.stdout();
    expect(stdout).toContain("shutdown hook ran");
    expect(stdout.indexOf("shutdown hook ran")).toBeGreaterThan(stdout.indexOf("slow request answering"));
    const lines = logLines(stdout);
    expect(lines.every((l) => l.service === "slow-fixture")).toBe(true);
    expect(lines.find((l) => l.msg === "slow request answering")).toMatchObject({ reqId: expect.any(String) });
  });

  it("exits 1 with the variable's name when the config is bad", async () => {
    const child = startFixture({ PORT: "abc" });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toContain('PORT: expected an integer between 0 and 65535, got "abc"');
  });

  it("exits 1 when shutdown does not finish within SHUTDOWN_TIMEOUT_MS", async () => {
    const child = startFixture({ HANG_ON_SHUTDOWN: "true", SHUTDOWN_TIMEOUT_MS: "200ms" });
    await listeningUrl(child);
    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(1);
    expect(child.stdout()).toContain("shutdown timed out");
  });

  it("exits at once on a second signal", async () => {
    const child = startFixture({ HANG_ON_SHUTDOWN: "true", SHUTDOWN_TIMEOUT_MS: "1h" });
    await listeningUrl(child);
    child.process.kill("SIGTERM");
    await child.waitForOutput("shutting down");
    child.process.kill("SIGINT");
    expect(await child.exited).toBe(1);
    expect(child.stdout()).toContain("second signal");
  });
});
