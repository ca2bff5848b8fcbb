// The results table: printed, written to test/bench/results.md.
import { writeFileSync } from "node:fs";
import type { Check } from "./checks";

export type Row = { path: string; ceiling: string; figure: string; ratio: string; target: string; met: boolean | null };

const mark = (met: boolean | null) => (met === null ? "·" : met ? "yes" : "**no**");

export function renderTable(rows: Row[]): string {
  const lines = ["| path | ceiling | figure | ratio | target | met |", "|---|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.path} | ${r.ceiling} | ${r.figure} | ${r.ratio} | ${r.target} | ${mark(r.met)} |`);
  return lines.join("\n");
}

export function renderChecks(checks: Check[]): string {
  return checks.map((c) => `- ${c.ok ? "ok" : "**FAILED**"}: ${c.name} (${c.detail})`).join("\n");
}

export function writeResults(file: string, header: string, rows: Row[], checks: Check[], notes: string[]) {
  const text = `${header}\n\n${renderTable(rows)}\n\nCorrectness, checked after every load:\n\n${renderChecks(checks)}\n${
    notes.length ? `\nNotes:\n\n${notes.map((n) => `- ${n}`).join("\n")}\n` : ""
  }`;
  writeFileSync(file, text);
  return text;
}
