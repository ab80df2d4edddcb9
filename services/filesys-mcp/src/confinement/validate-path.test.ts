import { describe, expect, it } from "vitest";
import { isInside } from "./inside.js";
import { validateUserPath } from "./validate-path.js";

describe("validateUserPath", () => {
  it("splits relative paths, dropping '.' and empty segments", () => {
    expect(validateUserPath("")).toEqual([]);
    expect(validateUserPath(".")).toEqual([]);
    expect(validateUserPath("./a//b/./c.txt")).toEqual(["a", "b", "c.txt"]);
    expect(validateUserPath("dir/")).toEqual(["dir"]);
  });

  it("keeps names that only look odd", () => {
    expect(validateUserPath("...")).toEqual(["..."]);
    expect(validateUserPath("a..b/..c")).toEqual(["a..b", "..c"]);
    expect(validateUserPath("100%/report%20final.txt")).toEqual(["100%", "report%20final.txt"]);
    expect(validateUserPath("ünïcødé/文件.txt")).toEqual(["ünïcødé", "文件.txt"]);
  });

  it.each([
    ["..", /escapes the allowed root/],
    ["a/../b", /escapes the allowed root/],
    ["/abs", /absolute path/],
    ["c:relative", /drive letter/],
    ["a\\b", /backslash/],
    ["a\u0000b", /NUL byte/],
    ["a\nb", /control character/],
    ["%2E%2e", /percent-encoded/],
    ["a%2Fb", /percent-encoded/],
    ["a%5cb", /percent-encoded/],
    ["a%00", /percent-encoded/],
    ["%252e", /percent-encoded/],
    ["é".repeat(128), /255 bytes/],
  ])("refuses %j", (path, message) => {
    expect(() => validateUserPath(path)).toThrow(message);
  });

  it("refuses non-strings", () => {
    expect(() => validateUserPath(42)).toThrow(/must be a string/);
  });
});

describe("isInside", () => {
  it("is a path-segment prefix check, not a string prefix check", () => {
    expect(isInside("/data", "/data")).toBe(true);
    expect(isInside("/data", "/data/a")).toBe(true);
    expect(isInside("/data", "/data2/a")).toBe(false);
    expect(isInside("/data", "/")).toBe(false);
    expect(isInside("/", "/anything")).toBe(true);
  });
});
