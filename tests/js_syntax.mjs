// Parses each file named on the command line as an ES module with Node's own parser (V8),
// without running it; prints "file: message" for each that does not parse.
// Run as: node --experimental-vm-modules --no-warnings tests/js_syntax.mjs FILE...
import { readFileSync } from "node:fs";
import vm from "node:vm";

let bad = 0;
for (const file of process.argv.slice(2)) {
  try {
    new vm.SourceTextModule(readFileSync(file, "utf8"), { identifier: file });
  } catch (error) {
    bad++;
    console.log(`${file}: ${error.message}`);
  }
}
process.exitCode = bad ? 1 : 0;
