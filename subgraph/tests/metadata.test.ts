import { BigInt, Bytes, DataSourceContext, ethereum } from "@graphprotocol/graph-ts";
import {
  afterEach,
  assert,
  beforeEach,
  clearStore,
  dataSourceMock,
  describe,
  newMockEvent,
  test,
} from "matchstick-as/assembly/index";
import { TrackMetadataUpdated } from "../generated/ContentRegistry/ContentRegistry";
import { TrackMetadata } from "../generated/schema";
import { handleTrackMetadata } from "../src/metadata";
import { handleTrackMetadataUpdated, handleTrackRegistered } from "../src/registry";
import { ARTIST, createTrackRegistered } from "./events";

const TRACK = "23489210437512392783413";
// The CID createTrackRegistered puts in the event.
const CID = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const FILE = CID + "/metadata.json";
const NEW_CID = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

/** The file handler run as the file data source of `path` would run it, on `content`. */
function handleFile(path: string, content: string): void {
  dataSourceMock.setReturnValues(path, "localhost", new DataSourceContext());
  handleTrackMetadata(Bytes.fromUTF8(content));
  dataSourceMock.resetValues();
}

function metadataUpdated(trackId: string, cid: string): TrackMetadataUpdated {
  let event = changetype<TrackMetadataUpdated>(newMockEvent());
  event.parameters = [
    new ethereum.EventParam("trackId", ethereum.Value.fromUnsignedBigInt(BigInt.fromString(trackId))),
    new ethereum.EventParam("metadataCid", ethereum.Value.fromString(cid)),
  ];
  return event;
}

describe("track metadata from IPFS", () => {
  afterEach(() => {
    clearStore();
  });

  describe("the chain side", () => {
    beforeEach(() => {
      handleTrackRegistered(createTrackRegistered(TRACK, ARTIST, [ARTIST], [10000]));
    });

    test("a registration asks for <cid>/metadata.json and links the track to it", () => {
      assert.dataSourceCount("TrackMetadata", 1);
      assert.dataSourceExists("TrackMetadata", FILE);
      assert.fieldEquals("Track", TRACK, "metadata", FILE);
    });

    test("a metadata update asks for the new package's file and moves the link", () => {
      handleTrackMetadataUpdated(metadataUpdated(TRACK, NEW_CID));
      assert.dataSourceCount("TrackMetadata", 2);
      assert.dataSourceExists("TrackMetadata", NEW_CID + "/metadata.json");
      assert.fieldEquals("Track", TRACK, "metadata", NEW_CID + "/metadata.json");
      assert.fieldEquals("Track", TRACK, "metadataCid", NEW_CID);
    });
  });

  describe("the file handler", () => {
    test("a well-formed file: title, artist name, genre and its key, whole seconds, ISRC", () => {
      handleFile(
        FILE,
        '{"title":" Night Drive ","artist":"Nova","isrc":"QZDA62400001","durationSeconds":212.6,"genre":"Synth  Wave","licence":{"summary":"x"}}',
      );
      assert.entityCount("TrackMetadata", 1);
      assert.fieldEquals("TrackMetadata", FILE, "title", "Night Drive");
      assert.fieldEquals("TrackMetadata", FILE, "artistName", "Nova");
      assert.fieldEquals("TrackMetadata", FILE, "genre", "Synth  Wave");
      assert.fieldEquals("TrackMetadata", FILE, "genreKey", "synth wave");
      assert.fieldEquals("TrackMetadata", FILE, "durationSeconds", "213");
      assert.fieldEquals("TrackMetadata", FILE, "isrc", "QZDA62400001");
    });

    test("fields of the wrong type, empty or out of range are null; the rest is kept", () => {
      handleFile(FILE, '{"title":42,"artist":"","genre":["rock"],"durationSeconds":-5,"isrc":null}');
      assert.entityCount("TrackMetadata", 1);
      let m = TrackMetadata.load(FILE)!;
      assert.assertTrue(m.title === null);
      assert.assertTrue(m.artistName === null);
      assert.assertTrue(m.genre === null);
      assert.assertTrue(m.genreKey === null);
      assert.assertTrue(m.durationSeconds === null);
      assert.assertTrue(m.isrc === null);
    });

    test("a duration given as a string, or longer than a day, is null", () => {
      handleFile(FILE, '{"title":"A","durationSeconds":"180"}');
      assert.assertTrue(TrackMetadata.load(FILE)!.durationSeconds === null);
      clearStore();
      handleFile(FILE, '{"title":"A","durationSeconds":1e12}');
      assert.assertTrue(TrackMetadata.load(FILE)!.durationSeconds === null);
    });

    test("a very long title is cut to 200 characters", () => {
      handleFile(FILE, '{"title":"' + "x".repeat(5000) + '"}');
      assert.fieldEquals("TrackMetadata", FILE, "title", "x".repeat(200));
    });

    test("malformed JSON, a JSON array, a bare string and bytes that are not UTF-8 leave nothing, and never abort", () => {
      handleFile(FILE, '{"title": "Night Drive"');
      handleFile(FILE, '[{"title":"Night Drive"}]');
      handleFile(FILE, '"Night Drive"');
      handleFile(FILE, "");
      dataSourceMock.setReturnValues(FILE, "localhost", new DataSourceContext());
      handleTrackMetadata(Bytes.fromHexString("0xfffe00c3"));
      dataSourceMock.resetValues();
      assert.entityCount("TrackMetadata", 0);
    });
  });
});
