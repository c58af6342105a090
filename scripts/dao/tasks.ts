/**
 * `npx hardhat dao propose|vote|queue|execute|status …` (also `npm run dao -- …`), on any network:
 *
 *   npx hardhat dao propose tip-fee --bps 300 --description "Tipping fee to 3%" --network localhost
 *   npx hardhat dao propose flag --track USRC17607839 --reason "sample not cleared" --description "…"
 *   npx hardhat dao propose grant --to 0x… --amount 100 --description "Grant: …"
 *   npx hardhat dao propose guardian --address 0x…|none
 *   npx hardhat dao propose quorum-floor --votes 100000
 *   npx hardhat dao propose allow-token --token 0x… --minimum 0.01   # in the token's units
 *   npx hardhat dao propose remove-token --token 0x…
 *
 * Without --description, the proposal's text is a plain-language summary of what it does.
 *   npx hardhat dao vote <proposalId> --support for --reason "…"
 *   npx hardhat dao queue <proposalId> | execute <proposalId> | status <proposalId>
 */
import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

type Operations = typeof import("./operations.ts");

/** Lazily loads the operations and hands each action the network's ethers and deployment. */
function action<Args>(run: (ops: Operations, ctx: Awaited<ReturnType<typeof context>>, args: Args) => Promise<void>) {
  return async () => ({
    default: async (args: Args, hre: HardhatRuntimeEnvironment) => {
      const ops = await import("./operations.ts");
      try {
        await run(ops, await context(hre, ops), args);
      } catch (error) {
        // Bad input and reverts are the user's to fix, not a Hardhat bug: say what went wrong.
        const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
        console.error(`dao: ${reason}`);
        process.exitCode = 1;
      }
    },
  });
}

async function context(hre: HardhatRuntimeEnvironment, ops: Operations) {
  const { ethers } = await hre.network.getOrCreate();
  const { chainId } = await ethers.provider.getNetwork();
  return { ethers, deployment: ops.readDeployment(chainId) };
}

const proposalIdArgument = {
  name: "proposalId",
  description: "The proposal id (decimal)",
  type: ArgumentType.BIGINT,
} as const;

export const daoTasks = [
  emptyTask("dao", "HarmonieCORE DAO operations: propose, vote, queue, execute, status").build(),

  task(
    ["dao", "propose"],
    "Propose a fee change, a dispute decision, a registrant code, a grant, a pause, a guardian, a quorum floor or a token",
  )
    .addPositionalArgument({
      name: "kind",
      description:
        "tip-fee | license-fee | flag | unflag | revoke | reassign | registrant | grant | pause | unpause | guardian | quorum-floor | allow-token | remove-token",
    })
    .addOption({
      name: "description",
      description: "The proposal's text, stored on chain (default: a plain-language summary)",
      defaultValue: "",
    })
    .addOption({
      name: "bps",
      description: "Fee in basis points (tip-fee, license-fee)",
      type: ArgumentType.INT,
      defaultValue: -1,
    })
    .addOption({ name: "track", description: "Track id or ISRC (flag, unflag, revoke, reassign)", defaultValue: "" })
    .addOption({ name: "reason", description: "Why (flag, revoke, reassign)", defaultValue: "" })
    .addOption({ name: "artist", description: "The rightful artist's address (reassign)", defaultValue: "" })
    .addOption({
      name: "splits",
      description: "New splits as address:bps,… (reassign; default all to the artist)",
      defaultValue: "",
    })
    .addOption({ name: "metadata", description: "New metadata package CID (reassign)", defaultValue: "" })
    .addOption({ name: "code", description: "Registrant code, e.g. US-RC1 (registrant)", defaultValue: "" })
    .addOption({
      name: "to",
      description: "Grant recipient (grant); registrant address or none (registrant)",
      defaultValue: "",
    })
    .addOption({ name: "amount", description: "Grant amount in CORE (grant)", defaultValue: "" })
    .addOption({ name: "contract", description: "registry | profiles | live (pause, unpause)", defaultValue: "" })
    .addOption({ name: "address", description: "New guardian, or none to remove it (guardian)", defaultValue: "" })
    .addOption({ name: "votes", description: "Quorum floor in whole votes (quorum-floor)", defaultValue: "" })
    .addOption({ name: "token", description: "ERC-20 address (allow-token, remove-token)", defaultValue: "" })
    .addOption({ name: "minimum", description: "Smallest tip in the token's units (allow-token)", defaultValue: "" })
    .setAction(
      action(async (ops, { ethers, deployment }, args: Record<string, string | number>) => {
        const kind = String(args.kind) as (typeof ops.PROPOSAL_KINDS)[number];
        const input = {
          kind,
          description: String(args.description),
          bps: args.bps === -1 ? undefined : Number(args.bps),
          track: String(args.track) || undefined,
          reason: String(args.reason) || undefined,
          artist: String(args.artist) || undefined,
          splits: String(args.splits) || undefined,
          metadata: String(args.metadata) || undefined,
          code: String(args.code) || undefined,
          to: String(args.to) || undefined,
          amount: String(args.amount) || undefined,
          contract: String(args.contract) || undefined,
          address: String(args.address) || undefined,
          votes: String(args.votes) || undefined,
          token: String(args.token) || undefined,
          minimum: String(args.minimum) || undefined,
        };
        const proposal = await ops.propose(ethers, deployment, input);
        console.log(`Proposed ${kind}: ${proposal.proposalId}\n  ${proposal.description}`);
      }),
    )
    .build(),

  task(["dao", "vote"], "Vote on a proposal with your delegated hVOTE")
    .addPositionalArgument(proposalIdArgument)
    .addOption({ name: "support", description: "for | against | abstain", defaultValue: "for" })
    .addOption({ name: "reason", description: "Why (stored in the VoteCast event)", defaultValue: "" })
    .setAction(
      action(async (ops, { ethers, deployment }, args: { proposalId: bigint; support: string; reason: string }) => {
        await ops.vote(ethers, deployment, args.proposalId, args.support, args.reason);
        console.log(`Voted ${args.support} on ${args.proposalId}`);
      }),
    )
    .build(),

  task(["dao", "queue"], "Queue a succeeded proposal in the timelock")
    .addPositionalArgument(proposalIdArgument)
    .setAction(
      action(async (ops, { ethers, deployment }, args: { proposalId: bigint }) => {
        await ops.queue(ethers, deployment, args.proposalId);
        console.log(`Queued ${args.proposalId}`);
      }),
    )
    .build(),

  task(["dao", "execute"], "Execute a queued proposal after the timelock delay")
    .addPositionalArgument(proposalIdArgument)
    .setAction(
      action(async (ops, { ethers, deployment }, args: { proposalId: bigint }) => {
        await ops.execute(ethers, deployment, args.proposalId);
        console.log(`Executed ${args.proposalId}`);
      }),
    )
    .build(),

  task(["dao", "status"], "Show a proposal's state, votes, quorum and deadlines")
    .addPositionalArgument(proposalIdArgument)
    .setAction(
      action(async (ops, { ethers, deployment }, args: { proposalId: bigint }) => {
        const s = await ops.status(ethers, deployment, args.proposalId);
        console.log(`${s.proposalId}: ${s.state}\n  ${s.description}`);
        console.log(
          `  for ${ethers.formatEther(s.votes.for)}, against ${ethers.formatEther(s.votes.against)}, abstain ${ethers.formatEther(s.votes.abstain)} hVOTE (quorum ${s.quorum === null ? "set when voting starts" : ethers.formatEther(s.quorum)})`,
        );
        console.log(
          `  voting ${new Date(Number(s.voteStart) * 1000).toISOString()} → ${new Date(Number(s.voteEnd) * 1000).toISOString()}${s.eta ? `, executable after ${new Date(Number(s.eta) * 1000).toISOString()}` : ""}`,
        );
      }),
    )
    .build(),
];
