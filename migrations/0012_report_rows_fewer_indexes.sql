-- Every report inserts an update_events row, and so an entry into every index
-- of the table. Two of them served nothing: the surrogate id's primary key
-- (nothing reads a report by id; the event id is the report's identity and
-- was already unique) and the partial (release_id, at) index of installs
-- (installs over time come from install_counts). The event id's unique index
-- becomes the primary key as it is, without a rebuild.
ALTER TABLE "update_events" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "update_events" ADD CONSTRAINT "update_events_pkey" PRIMARY KEY USING INDEX "update_events_event_id_key";--> statement-breakpoint
DROP INDEX "update_events_release_installed_idx";--> statement-breakpoint
-- A batch of 1,000 reports moves ~700 entries and so updates ~1,000 counter
-- rows (a block's old and new state), a few on every page of queue_counts, all
-- in one statement: versions of the statement's own rows cannot be pruned
-- before it commits, so full pages sent most of those updates to other pages,
-- each writing an entry into both indexes (and often a bottom-up deletion
-- pass; on the 1M bench, 2k to 170k of ~400k counter updates per 15 s of
-- batches, as the pages happened to fill). With nine tenths of each page free
-- (about 15 rows a page: a million-car release's ~4,000 folded counter rows
-- take ~2 MB, up to nine times that between two folds) the new versions stay
-- on their page: HOT, no index written (0 of ~400k). Only pages written from
-- now on get the room.
ALTER TABLE queue_counts SET (fillfactor = 10);
