// What an owner's switch between stable and beta does to the car's place in
// rollouts, decided apart from the SQL that applies it (src/services/channel.ts).

export type Channel = "stable" | "beta";

export type ChannelChange =
  | { kind: "unchanged" }
  /**
   * Updates not yet offered on the old channel are dropped (the owner left it);
   * offered ones stay, since the car may already be installing them. The car then
   * joins the end of the queue of any release rolling out on the new channel
   * that is newer than its firmware.
   */
  | { kind: "switch"; cancelQueuedOn: Channel; joinOn: Channel };

export function decideChannelChange(vehicle: { channel: Channel }, channel: Channel): ChannelChange {
  // Asking for the channel one is on changes nothing, not even the audit trail.
  if (vehicle.channel === channel) return { kind: "unchanged" };
  return { kind: "switch", cancelQueuedOn: vehicle.channel, joinOn: channel };
}
