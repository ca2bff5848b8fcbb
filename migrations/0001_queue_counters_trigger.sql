-- Keeps queue_counts (per release, block of 1024 positions and state) and
-- install_counts (per release and hour) exact for every statement that
-- touches queue_entries, in the same transaction, set-based through
-- transition tables: starting a million-vehicle release is one INSERT and one
-- aggregate here, not a million row triggers. Rows are upserted in key order
-- so that concurrent reports lock counter rows in the same order.
CREATE FUNCTION queue_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_counts (release_id, block, state, count)
    SELECT release_id, coalesce(position / 1024, -1), state, count(*)::int
    FROM new_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state) DO UPDATE SET count = queue_counts.count + excluded.count;
  ELSIF TG_OP = 'DELETE' THEN
    -- When the release itself is being deleted its counters go with it (cascade).
    INSERT INTO queue_counts (release_id, block, state, count)
    SELECT release_id, coalesce(position / 1024, -1), state, -count(*)::int
    FROM old_rows WHERE EXISTS (SELECT 1 FROM releases r WHERE r.id = old_rows.release_id)
    GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state) DO UPDATE SET count = queue_counts.count + excluded.count;
  ELSE
    INSERT INTO queue_counts (release_id, block, state, count)
    SELECT release_id, block, state, sum(delta)::int FROM (
      SELECT release_id, coalesce(position / 1024, -1) AS block, state, 1 AS delta FROM new_rows
      UNION ALL
      SELECT release_id, coalesce(position / 1024, -1), state, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2, 3 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (release_id, block, state) DO UPDATE SET count = queue_counts.count + excluded.count;

    INSERT INTO install_counts (release_id, hour, count)
    SELECT n.release_id, date_trunc('hour', coalesce(n.state_at, n.updated_at)), count(*)::int
    FROM new_rows n JOIN old_rows o ON o.release_id = n.release_id AND o.vehicle_id = n.vehicle_id
    WHERE n.state = 'installed' AND o.state <> 'installed'
    GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (release_id, hour) DO UPDATE SET count = install_counts.count + excluded.count;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER queue_counts_on_insert AFTER INSERT ON queue_entries
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_apply();
--> statement-breakpoint
CREATE TRIGGER queue_counts_on_update AFTER UPDATE ON queue_entries
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_apply();
--> statement-breakpoint
CREATE TRIGGER queue_counts_on_delete AFTER DELETE ON queue_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_counts_apply();
