import { expect } from "chai";
import { protocolLimits } from "../sdk/src/generated/protocol.ts";
import { deployProtocol, networkHelpers } from "./fixtures.ts";

// The SDK's limits are generated from the contracts' source (scripts/protocol-constants.ts); this pins
// them to what the deployed bytecode answers, for every limit the contract makes public.
describe("Protocol limits (sdk/src/generated/protocol.ts)", () => {
  it("every public limit matches the deployed contract's getter", async () => {
    const contracts = await networkHelpers.loadFixture(deployProtocol);
    const byName = {
      HarmonieTipping: contracts.tipping,
      ContentRegistry: contracts.registry,
      ArtistProfiles: contracts.profiles,
      LiveStreams: contracts.liveStreams,
    };
    let checked = 0;
    for (const [name, limits] of Object.entries(protocolLimits)) {
      const contract = byName[name as keyof typeof byName];
      for (const [limit, value] of Object.entries(limits)) {
        if (!contract.interface.hasFunction(limit)) continue; // a private constant: enforced, not exposed
        expect(await contract.getFunction(limit).staticCall(), `${name}.${limit}`).to.equal(BigInt(value));
        checked++;
      }
    }
    expect(checked).to.equal(9);
  });
});
