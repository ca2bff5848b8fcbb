-- Concurrent report batches queued on the counter rows' locks (each batch of
-- 1,000 random cars touches most blocks of a release): counts are now split
-- over stripes 1-8, one per database backend modulo 8, and summed on read, so
-- batches on different connections update rows of their own; the clock folds
-- them back into stripe 0 on every tick (foldCounterStripes), so reads of
-- whole blocks stay about as small as before. release_counts
-- keeps the per-release totals the same way, so a release list or a re-plan
-- reads at most 8 rows per state instead of every block of the release.
ALTER TABLE "install_counts" ADD COLUMN "stripe" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "queue_counts" ADD COLUMN "stripe" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "install_counts" DROP CONSTRAINT "install_counts_release_id_hour_pk";--> statement-breakpoint
ALTER TABLE "queue_counts" DROP CONSTRAINT "queue_counts_release_id_block_state_pk";--> statement-breakpoint
ALTER TABLE "install_counts" ADD CONSTRAINT "install_counts_release_id_hour_stripe_pk" PRIMARY KEY("release_id","hour","stripe");--> statement-breakpoint
ALTER TABLE "queue_counts" ADD CONSTRAINT "queue_counts_release_id_block_state_stripe_pk" PRIMARY KEY("release_id","block","state","stripe");--> statement-breakpoint
CREATE TABLE "release_counts" (
	"release_id" integer NOT NULL,
	"state" "update_state" NOT NULL,
	"stripe" smallint DEFAULT 0 NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "release_counts_release_id_state_stripe_pk" PRIMARY KEY("release_id","state","stripe")
);
--> statement-breakpoint
ALTER TABLE "release_counts" ADD CONSTRAINT "release_counts_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "queue_counts_unfolded" ON "queue_counts" USING btree ("release_id","block","state","stripe") WHERE stripe <> 0;--> statement-breakpoint
INSERT INTO release_counts (release_id, state, stripe, count)
SELECT release_id, state, 0, sum(count)::int FROM queue_counts GROUP BY 1, 2;--> statement-breakpoint
-- As in queue_counters_trigger, plus the stripe and the per-release totals.
-- Within a statement the tables are always updated in the same order (blocks,
-- totals, installs) and each in key order, as before.
CREATE OR REPLACE FUNCTION queue_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := 1 + pg_backend_pid() % 8;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_counts (release_id, block, state, stripe, count)
    SELECT release_id, coalesce(position / 1024, -1), state, s, count(*)::int
    FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state, stripe) DO UPDATE SET count = queue_counts.count + excluded.count;
    INSERT INTO release_counts (release_id, state, stripe, count)
    SELECT release_id, state, s, count(*)::int
    FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (release_id, state, stripe) DO UPDATE SET count = release_counts.count + excluded.count;
  ELSIF TG_OP = 'DELETE' THEN
    -- When the release itself is being deleted its counters go with it (cascade).
    INSERT INTO queue_counts (release_id, block, state, stripe, count)
    SELECT release_id, coalesce(position / 1024, -1), state, s, -count(*)::int
    FROM old_rows WHERE EXISTS (SELECT 1 FROM releases r WHERE r.id = old_rows.release_id)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state, stripe) DO UPDATE SET count = queue_counts.count + excluded.count;
    INSERT INTO release_counts (release_id, state, stripe, count)
    SELECT release_id, state, s, -count(*)::int
    FROM old_rows WHERE EXISTS (SELECT 1 FROM releases r WHERE r.id = old_rows.release_id)
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (release_id, state, stripe) DO UPDATE SET count = release_counts.count + excluded.count;
  ELSE
    INSERT INTO queue_counts (release_id, block, state, stripe, count)
    SELECT release_id, block, state, s, sum(delta)::int FROM (
      SELECT release_id, coalesce(position / 1024, -1) AS block, state, 1 AS delta FROM new_rows
      UNION ALL
      SELECT release_id, coalesce(position / 1024, -1), state, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state, stripe) DO UPDATE SET count = queue_counts.count + excluded.count;

    INSERT INTO release_counts (release_id, state, stripe, count)
    SELECT release_id, state, s, sum(delta)::int FROM (
      SELECT release_id, state, 1 AS delta FROM new_rows
      UNION ALL
      SELECT release_id, state, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2 HAVING sum(delta) <> 0 ORDER BY 1, 2
    ON CONFLICT (release_id, state, stripe) DO UPDATE SET count = release_counts.count + excluded.count;

    -- Most big updates install nothing (offering a wave): skip joining both tables then.
    IF EXISTS (SELECT 1 FROM new_rows WHERE state = 'installed') THEN
      INSERT INTO install_counts (release_id, hour, stripe, count)
      SELECT n.release_id, date_trunc('hour', coalesce(n.state_at, n.updated_at)), s, count(*)::int
      FROM new_rows n JOIN old_rows o ON o.release_id = n.release_id AND o.vehicle_id = n.vehicle_id
      WHERE n.state = 'installed' AND o.state <> 'installed'
      GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (release_id, hour, stripe) DO UPDATE SET count = install_counts.count + excluded.count;
    END IF;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- Every queue entry is rewritten a few times (offered, then each report) and
-- no indexed column changes: with half of each new page left free the new
-- versions stay on their page (HOT), so offering a whole wave or applying a
-- report writes no index entries. Only pages written from now on (new
-- releases) are affected; the cost is about twice the table's size on disk.
ALTER TABLE queue_entries SET (fillfactor = 50);
