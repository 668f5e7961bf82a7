'use strict';
// Preloaded into each benchmarked process: on exit, appends its peak resident set size (KiB) to
// the file named by BENCH_RSS_FILE.
const { appendFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
