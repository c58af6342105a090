import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id, parseEther, ZeroAddress, ZeroHash } from "ethers";

const DAY = 24 * 60 * 60;

/**
 * The DAO: stCORE voting token, TimelockController (treasury and sole protocol admin) and Governor.
 * The deployer is the timelock's admin only long enough to wire the governor in, then renounces.
 * Defaults are mainnet-sized; deploy/parameters/<network>.json shortens them for local work.
 */
export const GovernanceModule = buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);

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
  ]);

  const proposer = m.call(timelock, "grantRole", [id("PROPOSER_ROLE"), governor], { id: "GrantProposer" });
  const canceller = m.call(timelock, "grantRole", [id("CANCELLER_ROLE"), governor], { id: "GrantCanceller" });
  m.call(timelock, "renounceRole", [ZeroHash, deployer], { id: "RenounceAdmin", after: [proposer, canceller] });

  return { stakedCore, timelock, governor };
});

/** The whole protocol, administered by the DAO's timelock. */
export default buildModule("Harmonie", (m) => {
  const { stakedCore, timelock, governor } = m.useModule(GovernanceModule);

  const tipping = m.contract("HarmonieTipping", [
    timelock,
    m.getParameter("minimumTip", parseEther("0.01")),
    m.getParameter("tipFeeBps", 250),
  ]);
  const registry = m.contract("ContentRegistry", [timelock, m.getParameter("licenseFeeBps", 500)]);
  const profiles = m.contract("ArtistProfiles", [timelock]);
  const liveStreams = m.contract("LiveStreams", [timelock, registry]);

  return { stakedCore, timelock, governor, tipping, registry, profiles, liveStreams };
});
