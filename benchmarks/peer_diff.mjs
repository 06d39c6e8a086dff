// Runs a peer diff tool on two spec files and prints its changes as JSON lines:
//   node peer_diff.mjs api-smart-diff OLD NEW  -> {"type", "action", "path": [...]} per diff
//   node peer_diff.mjs asyncapi-diff OLD NEW   -> {"type", "action", "path": "/json/pointer"}
//   node peer_diff.mjs asyncapi-diff-pairs PAIRS.json -> a JSON list of those per pair
// The packages are found through NODE_PATH (benchmarks/npm.py installs them in its cache).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [tool, oldPath, newPath] = process.argv.slice(2);
const read = (path) => {
  const text = readFileSync(path, "utf8");
  return path.endsWith(".json") ? JSON.parse(text) : require("js-yaml").load(text);
};
const started = process.hrtime.bigint();
if (tool === "api-smart-diff") {
  const { apiCompare } = require("api-smart-diff");
  const { diffs } = apiCompare(read(oldPath), read(newPath));
  for (const d of diffs) {
    console.log(JSON.stringify({ type: d.type, action: d.action, path: d.path }));
  }
} else if (tool === "asyncapi-diff") {
  const { diff } = require("@asyncapi/diff");
  const output = diff(read(oldPath), read(newPath));
  for (const [type, list] of [["breaking", output.breaking()], ["non-breaking", output.nonBreaking()],
    ["unclassified", output.unclassified()]]) {
    for (const d of list) console.log(JSON.stringify({ type, action: d.action, path: d.path }));
  }
} else if (tool === "asyncapi-diff-pairs") {
  // OLD is a JSON file of [[old document, new document], ...]: one line of changes per pair
  const { diff } = require("@asyncapi/diff");
  for (const [before, after] of JSON.parse(readFileSync(oldPath, "utf8"))) {
    const output = diff(before, after);
    const found = [];
    for (const [type, list] of [["breaking", output.breaking()], ["non-breaking", output.nonBreaking()],
      ["unclassified", output.unclassified()]]) {
      for (const d of list) found.push({ type, action: d.action, path: d.path });
    }
    console.log(JSON.stringify(found));
  }
} else {
  console.error(`unknown tool ${tool}`);
  process.exit(2);
}
console.error(`seconds ${Number(process.hrtime.bigint() - started) / 1e9}`);
