import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const mainPath = fileURLToPath(new URL("./main.ts", import.meta.url));

describe("mock-model CLI", () => {
  it("serves on PORT and exits cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--conditions=@ark/source", "--import", "tsx", mainPath], {
      env: { ...process.env, PORT: "0", MOCK_MODEL_API_KEY: "sk-cli" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stderr.on("data", (data: Buffer) => (output += data.toString()));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (data: Buffer) => {
          output += data.toString();
          const match = /listening on (http:\/\/\S+\/v1)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`mock-model exited (${code}): ${output}`)));
      });
      const unauthorized = await fetch(`${url}/models`);
      expect(unauthorized.status).toBe(401);
      const response = await fetch(`${url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer sk-cli" },
        body: JSON.stringify({ model: "any", messages: [{ role: "user", content: "ping" }] }),
      });
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      expect(body.choices[0]?.message.content).toBe("mock: ping");
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
