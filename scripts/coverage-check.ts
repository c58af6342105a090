/**
 * Coverage gate: every line of every contract under contracts/ (test helpers and mocks excluded) must
 * be covered. Reads the lcov report that `hardhat test --coverage` writes.
 */
import { readFileSync } from "node:fs";

const REPORT = "coverage/lcov.info";
const EXCLUDED = /^contracts\/test\//;

const gaps: string[] = [];
let files = 0;
for (const record of readFileSync(REPORT, "utf8").split("end_of_record")) {
  const file = record.match(/^SF:(.+)$/m)?.[1]?.trim();
  if (!file || EXCLUDED.test(file)) continue;
  files++;
  const missed = [...record.matchAll(/^DA:(\d+),0$/gm)].map((match) => match[1]);
  if (missed.length > 0) gaps.push(`  ${file}: lines ${missed.join(", ")}`);
}

if (files === 0) {
  console.error(`No contracts found in ${REPORT}: did \`hardhat test --coverage\` run?`);
  process.exit(1);
}
if (gaps.length > 0) {
  console.error(`Line coverage below 100% in contracts/:\n${gaps.join("\n")}`);
  process.exit(1);
}
console.log(`Line coverage: 100% of ${files} contract files.`);
