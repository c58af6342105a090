import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, parseEther, ZeroAddress, ZeroHash } from "ethers";

const DAY = 24 * 60 * 60;

/**
 * The DAO: hVOTE voting token (StakedCore), TimelockController (treasury and sole protocol admin) and
 * Governor. The deployer is the timelock's admin only long enough to wire the governor in, then
 * renounces, and binds the governor to the token so the unstake cooldown covers its settings.
 * Defaults are mainnet-sized; deploy/parameters/<network>.json shortens them for local work.
 *
 * Quorum floor, mainnet: 100,000 votes (100,000 CORE staked and voting for or abstaining). That is 100
 * times the proposal threshold, and what the 4% fraction asks once 2.5M CORE are staked: the floor
 * rules only while the DAO is young, when 4% of a small supply is what one account can buy (the
 * measured capture passed with 40 votes). Until 100,000 CORE vote, nothing passes: the protocol runs
 * on as deployed, fees accrue in the timelock.
 */
export const GovernanceModule = buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);

  // The shortest cooldown; the bound governor's voting period + late-quorum extension + timelock
  // delay (11 days with these defaults) lengthens it.
  const stakedCore = m.contract("StakedCore", [m.getParameter("unstakeCooldown", 7 * DAY)]);
  const timelock = m.contract("TimelockController", [
    m.getParameter("timelockDelay", 2 * DAY),
    [],
    [ZeroAddress], // anyone may execute a queued operation once its delay has passed
    deployer,
  ]);
  const governor = m.contract("HarmonieGovernor", [
    stakedCore,
    timelock,
    m.getParameter("votingDelay", DAY),
    m.getParameter("votingPeriod", 7 * DAY),
    m.getParameter("proposalThreshold", parseEther("1000")),
    m.getParameter("quorumPercent", 4),
    m.getParameter("lateQuorumExtension", 2 * DAY),
    m.getParameter("guardian", ZeroAddress),
    m.getParameter("quorumFloor", parseEther("100000")),
  ]);
  m.call(stakedCore, "bindGovernor", [governor], { id: "BindGovernor" });

  const proposer = m.call(timelock, "grantRole", [id("PROPOSER_ROLE"), governor], { id: "GrantProposer" });
  const canceller = m.call(timelock, "grantRole", [id("CANCELLER_ROLE"), governor], { id: "GrantCanceller" });
  m.call(timelock, "renounceRole", [ZeroHash, deployer], { id: "RenounceAdmin", after: [proposer, canceller] });

  return { stakedCore, timelock, governor };
});

type Module = Parameters<Parameters<typeof buildModule>[1]>[0];

/**
 * The protocol's contracts, administered by the DAO's timelock. `tokens` are the ERC-20s tips accept
 * besides CORE, with their minimum tip in the token's decimals.
 */
function protocol(m: Module, tokens: { tokens: unknown; minimums: unknown }) {
  const { stakedCore, timelock, governor } = m.useModule(GovernanceModule);

  const tipping = m.contract("HarmonieTipping", [
    timelock,
    m.getParameter("minimumTip", parseEther("0.01")),
    m.getParameter("tipFeeBps", 250),
    m.getParameter("feeNoticePeriod", 14 * DAY),
    m.getParameter("referrerShareBps", 2_000),
    tokens.tokens as string[],
    tokens.minimums as bigint[],
  ]);
  // The governor names the guardian that may pause these three (read live, so governance can change it).
  const registry = m.contract("ContentRegistry", [timelock, governor, tipping, m.getParameter("licenseFeeBps", 500)]);
  const profiles = m.contract("ArtistProfiles", [timelock, governor]);
  const liveStreams = m.contract("LiveStreams", [timelock, governor, registry]);

  return { stakedCore, timelock, governor, tipping, registry, profiles, liveStreams };
}

/**
 * Public networks: the payment tokens come from deploy/parameters/<network>.json (`Harmonie.tokens`,
 * `Harmonie.tokenMinimums`), e.g. Core's bridged USDC and USDT.
 */
export default buildModule("Harmonie", (m) =>
  protocol(m, { tokens: m.getParameter("tokens", []), minimums: m.getParameter("tokenMinimums", []) }),
);

/**
 * Local chains: also deploys a stablecoin that behaves like Core's bridged USDC (6 decimals, no
 * permit) and allow-lists it, with a 0.01 USDC minimum tip.
 */
export const LocalHarmonieModule = buildModule("HarmonieLocal", (m) => {
  const stablecoin = m.contract("TestStablecoin");
  return { ...protocol(m, { tokens: [stablecoin], minimums: [10_000n] }), stablecoin };
});
