// Renders many formulas in one Node process with the npm `katex` package given as argv[2].
// stdin: JSON [[tex, displayMode], ...]; stdout: JSON [{"html": ...} | {"error": ...}, ...].
// Same options as the katex command line tool's defaults, so the HTML is the same.
"use strict";
const katex = require(process.argv[2]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode }) };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
