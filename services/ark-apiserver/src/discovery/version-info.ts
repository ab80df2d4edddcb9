/** `GET /version`. The gcloud kubectl dispatcher picks its kubectl binary from major/minor. */
export function versionInfo(): Record<string, string> {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0+ark",
    gitCommit: "",
    gitTreeState: "clean",
    buildDate: "2026-11-25T00:00:00Z",
    goVersion: "",
    compiler: "node",
    platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}
