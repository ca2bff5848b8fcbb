import { type PGlite, type QueryOptions, type Results, parse, protocol } from "@electric-sql/pglite";

// PGlite answers every query with an unnamed statement: parse, plan, then run,
// six calls into the wasm each time. Planning the owner page's one query takes
// longer than running it (about 5 ms against 0.5 ms at 100k vehicles), so a
// query text that comes back is kept as a named statement, planned once, and
// each run is a single exchange with the wasm. The plan cache would keep
// re-planning some of them (the code lookup: without statistics, which PGlite
// never gathers on its own, it rates the generic plan worse), so a named run
// asks for the generic plan; the setting is put back in the same exchange, and
// one-off queries are planned for their values as before.

/** Texts seen once; the second time a text comes, it is prepared. Cleared when it grows past this (one-off texts). */
const maxSeenOnce = 2000;
/** Statements kept at most; texts beyond these run unnamed as before. */
const maxStatements = 200;

// Read when the statement is bound, so it holds for exactly one run.
const genericPlans = protocol.serialize.query("set plan_cache_mode = force_generic_plan");
const planAsUsual = protocol.serialize.query("reset plan_cache_mode");

type Statement = { name: string; paramTypes: number[] };
type Query = <T>(text: string, params?: unknown[], options?: QueryOptions) => Promise<Results<T>>;

const asText = (value: unknown): string => {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
    case "boolean":
      return value.toString();
    default:
      return JSON.stringify(value);
  }
};

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/**
 * The PGlite instance as drizzle should see it: the same object, except that
 * `query` outside a transaction runs repeated texts as named statements.
 * Transactions and everything else go to PGlite unchanged.
 */
export function withNamedStatements(client: PGlite): PGlite {
  const statements = new Map<string, Statement>();
  const seenOnce = new Set<string>();
  // PGlite merges the caller's parsers into its few hundred defaults on every result;
  // drizzle passes one options object per query, so the merge is done once per object.
  type Parsing = { parsers: PGlite["parsers"]; options: QueryOptions };
  const parsing = new WeakMap<QueryOptions, Parsing>();
  const noOptions: QueryOptions = {};
  const parsingFor = (options: QueryOptions = noOptions) => {
    let found = parsing.get(options);
    if (!found) {
      found = { parsers: { ...client.parsers, ...options.parsers }, options: { ...options, parsers: undefined } };
      parsing.set(options, found);
    }
    return found;
  };

  async function prepare(text: string, options?: QueryOptions): Promise<Statement> {
    const name = `s${statements.size + 1}`;
    const { messages } = await client.execProtocol(
      concat([protocol.serialize.parse({ name, text, types: options?.paramTypes }), protocol.serialize.describe({ type: "S", name }), protocol.serialize.sync()]),
      { syncToFs: false },
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    return statement;
  }

  // Values are turned into text exactly as PGlite's own query does: by the parameter's type.
  const serialized = (params: unknown[], types: number[], options?: QueryOptions) =>
    params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const type = types[i] ?? 0;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      if (serializer) return serializer(value);
      // Without a serializer (types PGlite does not know, like enums) text goes as it is, as PGlite sends it.
      return asText(value);
    });

  async function run<T>(text: string, params: unknown[], options?: QueryOptions): Promise<Results<T>> {
    // A closed or closing PGlite fails the way its own query does (the outage path answers 503).
    await client._checkReady();
    return client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        // Again once in: a close may have been queued ahead of this run.
        await client._checkReady();
        const statement = statements.get(text) ?? (await prepare(text, options));
        const { messages } = await client.execProtocol(
          concat([
            genericPlans,
            protocol.serialize.bind({ statement: statement.name, values: serialized(params, statement.paramTypes, options) }),
            protocol.serialize.describe({ type: "P" }),
            protocol.serialize.execute({}),
            protocol.serialize.sync(),
            planAsUsual,
          ]),
          { syncToFs: false },
        );
        // A write outside a transaction is durable once answered, as with PGlite's own query.
        await client.syncToFs();
        // The merged parsers are passed as the defaults, so PGlite has nothing left to merge.
        const { parsers, options: rest } = parsingFor(options);
        // Three results: the two settings' (empty) and, between them, the statement's.
        const [, result] = parse.parseResults(messages, parsers, rest);
        if (!result) throw new Error("PGlite answered a named statement without its result");
        return result as Results<T>;
      }),
    );
  }

  const query: Query = (text, params = [], options) => {
    // Blobs (COPY) and texts not yet seen twice take PGlite's own path.
    if (options?.blob || (!statements.has(text) && (statements.size >= maxStatements || !seenOnce.has(text)))) {
      if (seenOnce.size >= maxSeenOnce) seenOnce.clear();
      seenOnce.add(text);
      return client.query(text, params, options);
    }
    return run(text, params, options);
  };

  return new Proxy(client, {
    get(target, property) {
      if (property === "query") return query;
      const value: unknown = Reflect.get(target, property, target);
      // PGlite's methods use private state, so they must run on the instance itself, not on the proxy.
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
