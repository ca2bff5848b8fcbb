// Streams an NDJSON fleet into POST /v1/vehicles/import, as an OEM's export would arrive.
import { adminToken } from "./api";
import { type Fleet, vinOf } from "./fleet";

function ndjson(f: Fleet): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= f.size) return controller.close();
      let chunk = "";
      for (const end = Math.min(f.size, i + 2000); i < end; i++) {
        chunk += `{"vin":"${vinOf(f, i)}","model":"model3","hardware":"${i % 4 ? "HW4" : "HW3"}","region":"${f.region}","channel":"stable","cohort":"${i % 10 ? "standard" : "early_access"}","firmware":"2026.38.2"}\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

/** Imports the fleet; returns how many lines were answered as imported, and their owner codes when asked. */
export async function importFleet(base: string, f: Fleet, keepCodes = false): Promise<{ imported: number; rejected: number; codes: string[] }> {
  const res = await fetch(`${base}/v1/vehicles/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/x-ndjson" },
    body: ndjson(f),
    // @ts-expect-error Node's fetch needs this for a streamed request body
    duplex: "half",
  });
  if (!res.ok) throw new Error(`import: ${res.status} ${await res.text()}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const codes: string[] = [];
  let imported = 0;
  let rejected = 0;
  let tail = "";
  for (;;) {
    const { done, value } = await reader.read();
    const lines = (tail + (value ?? "") + (done ? "\n" : "")).split("\n");
    tail = lines.pop()!;
    for (const line of lines) {
      // Cheap tests first: a million JSON.parse calls would load the bench's own core.
      if (line.includes('"ownerCode"')) {
        imported++;
        if (keepCodes) codes.push((JSON.parse(line) as { ownerCode: string }).ownerCode);
      } else if (line.startsWith('{"summary"')) {
        rejected = (JSON.parse(line) as { summary: { rejected: number } }).summary.rejected;
      }
    }
    if (done) break;
  }
  return { imported, rejected, codes };
}
