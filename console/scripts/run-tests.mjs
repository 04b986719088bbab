// npm test: compile the unit tests of the pure helpers with tsc, then run them with Node's built-in test runner.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const out = join(root, ".test-build");
rmSync(out, { recursive: true, force: true });
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.node.json")], { stdio: "inherit", cwd: root });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
const tests = readdirSync(join(out, "tests"))
  .filter((name) => name.endsWith(".test.js"))
  .map((name) => join(out, "tests", name));
const run = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...tests], { stdio: "inherit", cwd: root });
process.exit(run.status ?? 1);
