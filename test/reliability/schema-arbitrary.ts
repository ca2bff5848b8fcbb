import fc from "fast-check";
import { randomVersion, randomVin } from "../helpers/fleet";

// A small JSON Schema (as /openapi.json spells it) → fast-check generator, and
// the ways a client can break a request that fits it.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
};

export type Components = Record<string, JsonSchema>;

/** Values the schema cannot say (VINs and versions are checked in code): known good ones by field name. */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

export const defaultHints = (extra: Hints = {}): Hints => ({
  vin: fc.constant(null).map(() => randomVin()),
  version: fc.constant(null).map(() => randomVersion()),
  firmware: fc.constantFrom("2026.38.2", "2026.1.0"),
  minVersion: fc.constantFrom("2026.20.0"),
  url: fc.constantFrom("https://hooks.example.com/rollout"),
  ...extra,
});

const dateTime = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => d.toISOString());

export function arbitraryOf(schema: JsonSchema, components: Components, hints: Hints, name = ""): fc.Arbitrary<unknown> {
  if (schema.$ref) return arbitraryOf(components[schema.$ref.split("/").pop()!]!, components, hints, name);
  if (hints[name]) return hints[name];
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return fc.oneof(...union.map((s) => arbitraryOf(s, components, hints, name)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? "string"];
  return fc.oneof(...types.map((type) => ofType(type, schema, components, hints)));
}

function ofType(type: string, schema: JsonSchema, components: Components, hints: Hints): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(schema.maximum ?? min + 10_000, min + 10_000)) });
    }
    case "number": {
      const min = schema.minimum ?? schema.exclusiveMinimum ?? 0;
      return fc.double({ min, max: schema.maximum ?? min + 1000, noNaN: true, noDefaultInfinity: true }).filter((n) => n !== schema.exclusiveMinimum);
    }
    case "array": {
      const item = arbitraryOf(schema.items ?? {}, components, hints);
      return fc.array(item, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case "object": {
      const entries = Object.entries(schema.properties ?? {}).map(([key, s]) => [key, arbitraryOf(s, components, hints, key)] as const);
      const required = new Set(schema.required ?? []);
      return fc.record(Object.fromEntries(entries), { requiredKeys: entries.map(([k]) => k).filter((k) => required.has(k)) });
    }
    default: {
      if (schema.format === "date-time") return dateTime;
      if (schema.format === "uuid") return fc.uuid();
      if (schema.pattern) {
        const min = schema.minLength ?? 0;
        const max = schema.maxLength ?? 64;
        // Stretched or cut rather than filtered: a filter that rarely passes spins forever.
        return fc.stringMatching(new RegExp(schema.pattern)).map((s) => (s.length < min ? s.padEnd(min, s.at(-1)) : s.slice(0, max)));
      }
      return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    }
  }
}

/** What clients get wrong: wrong types, NUL, lone surrogates, numbers past every range, dates outside 2000–2999. */
export const nasty = fc.constantFrom<unknown>(
  null, true, [], {}, "", -1, 0, 1.5, -0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, 1e308, -1e308,
  "ab\u0000cd", "\u0000", "x\ud800y", "\udc00", "\ud83d", "🚗 ünïcödé", "x".repeat(5000), "2147483648", "-1", "1e999", "NaN",
  "0000-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "+010000-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
  "2026-11-01T08:00:00", "'; drop table vehicles; --", "__proto__", "constructor",
);

export type Mutation =
  | { kind: "none" }
  | { kind: "replace"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "addKey"; at: number; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: "none" as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: nasty }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("addKey" as const), at: fc.nat(), key: fc.constantFrom("extra", "a\u0000b", "\ud800", "__proto__", ""), value: nasty }),
    weight: 1,
  },
);

type Slot = { parent: Record<string, unknown> | unknown[] | null; key: string | number };

function slots(value: unknown, parent: Slot["parent"] = null, key: string | number = "", out: Slot[] = []): Slot[] {
  out.push({ parent, key });
  if (Array.isArray(value)) value.forEach((v, i) => slots(v, value, i, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) slots(v, value as Record<string, unknown>, k, out);
  return out;
}

/** Applies one mutation to a deep copy of `value` somewhere in it (the root included). */
export function mutate(value: unknown, m: Mutation): unknown {
  if (m.kind === "none") return value;
  const root = { value: structuredClone<unknown>(value) };
  const all = slots(root.value);
  const slot = all[m.at % all.length]!;
  const set = (v: unknown) => (slot.parent ? ((slot.parent as Record<string | number, unknown>)[slot.key] = v) : (root.value = v));
  const get = () => (slot.parent ? (slot.parent as Record<string | number, unknown>)[slot.key] : root.value);
  if (m.kind === "replace") set(m.value);
  else if (m.kind === "delete") {
    if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
    else if (slot.parent) delete slot.parent[slot.key as string];
    else root.value = undefined;
  } else {
    const target = get();
    if (target && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
    else set(m.value);
  }
  return root.value;
}
