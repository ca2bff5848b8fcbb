import postgres from "postgres";

// The Postgres databases test files work in: copies of the migrated one the
// global setup names (the template), one per vitest worker, so files that run
// side by side never share one. Named `<template>_run<pid of the run>_<worker>`.
const nameIn = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
const runPrefix = (template: string) => `${nameIn(template)}_run`;

/** A session on the server's maintenance database: a template must have no sessions of its own while it is copied. */
function maintenance(template: string) {
  const url = new URL(template);
  url.pathname = "/postgres";
  return postgres(url.toString(), { max: 1, onnotice: () => {} });
}

/**
 * The URL of this worker's copy of the template, made (CREATE DATABASE …
 * TEMPLATE, ~0.1-0.5 s) by the first file the worker runs; the files a worker
 * runs one after another share it, as every file shared DATABASE_URL before.
 */
export async function workerDatabase(run: { template: string; id: number }, worker: string) {
  const name = `${runPrefix(run.template)}${run.id}_${worker}`;
  const admin = maintenance(run.template);
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) await admin.unsafe(`create database "${name}" template "${nameIn(run.template)}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(run.template);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Drops the copies made by the run `id`, or with no id those of every run
 * that is gone (a run that was killed leaves them). A run's workers are
 * processes on this machine.
 */
export async function dropCopies(template: string, id?: number) {
  const prefix = runPrefix(template);
  const admin = maintenance(template);
  try {
    const copies = await admin<{ datname: string }[]>`select datname from pg_database where starts_with(datname, ${prefix})`;
    for (const { datname } of copies) {
      const run = Number(datname.slice(prefix.length).split("_")[0]);
      if (id === undefined ? !isAlive(run) : run === id) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
