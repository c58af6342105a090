/**
 * ABI stability: the subgraph and the SDK decode these events, so an event may be added but never
 * changed or removed. abi/events.json records every event of the deployed contracts (name, types,
 * parameter names and which are indexed); this check fails if any recorded event is gone or differs.
 *
 *   node scripts/abi-check.ts            check (run by `npm test`)
 *   node scripts/abi-check.ts --update   record newly added events
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { CONTRACT_ARTIFACTS } from "./contracts.ts";

const RECORD = "abi/events.json";

interface AbiParameter {
  name: string;
  type: string;
  indexed?: boolean;
  components?: AbiParameter[];
}

function formatType(parameter: AbiParameter): string {
  if (!parameter.type.startsWith("tuple")) return parameter.type;
  const inner = (parameter.components ?? []).map((c) => `${formatType(c)} ${c.name}`).join(",");
  return `(${inner})${parameter.type.slice("tuple".length)}`;
}

function eventSignatures(artifact: string): string[] {
  if (!existsSync(artifact)) throw new Error(`${artifact} is missing: run \`npm run build\` first`);
  const { abi } = JSON.parse(readFileSync(artifact, "utf8")) as {
    abi: { type: string; name: string; inputs: AbiParameter[] }[];
  };
  return abi
    .filter((item) => item.type === "event")
    .map((event) => {
      const inputs = event.inputs.map((p) => `${formatType(p)}${p.indexed ? " indexed" : ""} ${p.name}`);
      return `${event.name}(${inputs.join(", ")})`;
    })
    .sort();
}

const current = Object.fromEntries(
  Object.entries(CONTRACT_ARTIFACTS).map(([name, file]) => [name, eventSignatures(file)]),
);
const recorded: Record<string, string[]> = existsSync(RECORD) ? JSON.parse(readFileSync(RECORD, "utf8")) : {};

const broken: string[] = [];
const added: string[] = [];
for (const [contract, signatures] of Object.entries(recorded)) {
  for (const signature of signatures) {
    if (!current[contract]?.includes(signature)) broken.push(`  ${contract}: ${signature}`);
  }
}
for (const [contract, signatures] of Object.entries(current)) {
  for (const signature of signatures) {
    if (!recorded[contract]?.includes(signature)) added.push(`  ${contract}: ${signature}`);
  }
}

if (broken.length > 0) {
  console.error(
    `Events changed or removed (indexers and the SDK depend on them; add a new event instead):\n${broken.join("\n")}`,
  );
  process.exit(1);
}
if (process.argv.includes("--update")) {
  mkdirSync("abi", { recursive: true });
  writeFileSync(RECORD, `${JSON.stringify(current, null, 2)}\n`);
  console.log(`Recorded ${added.length} new event(s) in ${RECORD}.`);
} else if (added.length > 0) {
  console.log(`New events not yet recorded (fine; run \`npm run abi:update\` to protect them):\n${added.join("\n")}`);
} else {
  console.log(`ABI check: all ${Object.values(recorded).flat().length} recorded events unchanged.`);
}
