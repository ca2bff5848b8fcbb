-- A report that installs a release rewrites its car's row (firmware, updated_at).
-- Imports fill vehicle pages to the brim, so that new version found no room on
-- its page: two thirds of the updates were not HOT and each wrote a new entry
-- into all four indexes of vehicles (random pages of a million-row fleet, each
-- also a full-page image in the WAL after every checkpoint). With a tenth of
-- each page left free (about three rows' worth; pruning on the next read gives
-- it back) the new version stays on its page and no index is touched. None of
-- the updated columns is indexed. Only pages written from now on (imports,
-- new vehicles) are affected; the cost is about a tenth more table on disk.
ALTER TABLE vehicles SET (fillfactor = 90);
