// The API's types come from its zod schemas (src/routes/**); this file only
// adds views of them that tests need and the API has no name for.
import type { ImportAnswerLine } from "../../src/routes/vehicles/vehicles.schemas";

type KeysOf<U> = U extends unknown ? keyof U : never;
type FieldOf<U, K extends PropertyKey> = U extends unknown ? (K extends keyof U ? U[K] : never) : never;

/**
 * Any line of an import's answer with every field of every kind optional, for
 * tests that look lines up by number. Derived, not copied: a field the API
 * renames or drops fails the type check where a test reads it.
 */
export type AnyImportLine = { [K in KeysOf<ImportAnswerLine>]?: FieldOf<ImportAnswerLine, K> };
