/** The protocol's deployed contracts and their Hardhat artifacts: the one list every generator reads. */
export const CONTRACT_ARTIFACTS = {
  HarmonieTipping: "artifacts/contracts/tipping/HarmonieTipping.sol/HarmonieTipping.json",
  ContentRegistry: "artifacts/contracts/licensing/ContentRegistry.sol/ContentRegistry.json",
  ArtistProfiles: "artifacts/contracts/profiles/ArtistProfiles.sol/ArtistProfiles.json",
  LiveStreams: "artifacts/contracts/live/LiveStreams.sol/LiveStreams.json",
  StakedCore: "artifacts/contracts/governance/StakedCore.sol/StakedCore.json",
  HarmonieGovernor: "artifacts/contracts/governance/HarmonieGovernor.sol/HarmonieGovernor.json",
  TimelockController: "artifacts/@openzeppelin/contracts/governance/TimelockController.sol/TimelockController.json",
} as const;

export type ContractName = keyof typeof CONTRACT_ARTIFACTS;
