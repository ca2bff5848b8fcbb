import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { type Channel, decideChannelChange } from "../../src/domain/channel-change";

const channels: Channel[] = ["stable", "beta"];

describe("an owner's channel change", () => {
  test("asking for the channel one is on changes nothing", () => {
    for (const channel of channels) expect(decideChannelChange({ channel }, channel)).toEqual({ kind: "unchanged" });
  });

  test("stable → beta cancels what is queued on stable and joins beta", () => {
    expect(decideChannelChange({ channel: "stable" }, "beta")).toEqual({ kind: "switch", cancelQueuedOn: "stable", joinOn: "beta" });
  });

  test("beta → stable cancels what is queued on beta and joins stable", () => {
    expect(decideChannelChange({ channel: "beta" }, "stable")).toEqual({ kind: "switch", cancelQueuedOn: "beta", joinOn: "stable" });
  });

  test("a switch always leaves the old channel for the new one, never the same", () => {
    fc.assert(
      fc.property(fc.constantFrom(...channels), fc.constantFrom(...channels), (from, to) => {
        const change = decideChannelChange({ channel: from }, to);
        if (from === to) return change.kind === "unchanged";
        return change.kind === "switch" && change.cancelQueuedOn === from && change.joinOn === to && change.cancelQueuedOn !== change.joinOn;
      }),
    );
  });
});
