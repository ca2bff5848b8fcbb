-- Concurrent report batches still met on counter rows: the stripe was the
-- backend pid modulo 8, and a pool of 10 connections has pids that share a
-- stripe. A writer may now name its stripe for the transaction
-- (set_config('rollout.counter_stripe', '3', true)): the report lanes of an
-- instance each take their own (services/report-batcher.ts), so its
-- concurrent batches never update the same counter row. Everything else
-- keeps the pid's stripe. Otherwise the function is 0005's, unchanged.
CREATE OR REPLACE FUNCTION queue_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := coalesce(nullif(current_setting('rollout.counter_stripe', true), '')::smallint, 1 + pg_backend_pid() % 8);
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
END $$;
