ALTER TABLE "firmware_changes" DROP CONSTRAINT "firmware_changes_vehicle_id_vehicles_id_fk";
--> statement-breakpoint
ALTER TABLE "update_events" DROP CONSTRAINT "update_events_vehicle_id_vehicles_id_fk";
--> statement-breakpoint
ALTER TABLE "update_events" DROP CONSTRAINT "update_events_release_id_releases_id_fk";
--> statement-breakpoint
-- Reports and firmware history are written only by statements that have just
-- read (and locked) their vehicle and release in the same transaction, like
-- queue_entries, which never had foreign keys for the same reason: the per-row
-- checks were about a third of a 1,000-report batch's database time (2,000
-- SPI lookups, each also locking the parent row). What the constraints' ON
-- DELETE CASCADE did is kept here, set-based, once per statement.
CREATE FUNCTION vehicles_delete_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM update_events e USING old_rows o WHERE e.vehicle_id = o.id;
  DELETE FROM firmware_changes f USING old_rows o WHERE f.vehicle_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER vehicles_delete_history AFTER DELETE ON vehicles
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vehicles_delete_history();
--> statement-breakpoint
CREATE FUNCTION releases_delete_reports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM update_events e USING old_rows o WHERE e.release_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER releases_delete_reports AFTER DELETE ON releases
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION releases_delete_reports();
