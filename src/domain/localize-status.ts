import { type LocalizedList, type LocalizedText, asList, pickLocalized } from "./localized-text";

// The owner's status leaves the service with localized fields as written; this
// is the one step that turns each into plain text in the reader's language, so
// /v1/track keeps its fixed shape and support reads exactly what owners read.

type WithLocalized = {
  release: ({ notes: LocalizedText; unavailableDuring?: LocalizedList; instructions?: LocalizedList } & Record<string, unknown>) | null;
  queue: ({ wave: ({ name: LocalizedText } & Record<string, unknown>) | null } & Record<string, unknown>) | null;
  notice: ({ message: LocalizedText } & Record<string, unknown>) | null;
  timeline: ({ message?: LocalizedText } & Record<string, unknown>)[];
};

type PlainValue<V> = V extends Date ? V : V extends (infer I)[] ? Plain<I>[] : V extends object ? Plain<V> : V;
type Plain<S> = {
  [K in keyof S]: K extends "notes" | "name" | "message" ? string : K extends "unavailableDuring" | "instructions" ? string[] : PlainValue<S[K]>;
};

/** The status as a reader of `tag` sees it: every localized field one string (lists: strings), English when theirs is missing. */
export function localizeStatus<S extends WithLocalized>(status: S, tag: string): Plain<S> {
  const text = (value: LocalizedText) => pickLocalized(value, tag);
  const list = (value: LocalizedList | undefined) => (value === undefined ? undefined : asList(pickLocalized(value, tag)));
  const { release, queue, notice, timeline } = status;
  // TypeScript cannot map a spread of the generic S field by field; the shape is Plain<S> by construction (each localized field replaced by its text).
  return {
    ...status,
    release: release && {
      ...release,
      notes: text(release.notes),
      ...(release.unavailableDuring === undefined ? {} : { unavailableDuring: list(release.unavailableDuring) }),
      ...(release.instructions === undefined ? {} : { instructions: list(release.instructions) }),
    },
    queue: queue && { ...queue, wave: queue.wave && { ...queue.wave, name: text(queue.wave.name) } },
    notice: notice && { ...notice, message: text(notice.message) },
    timeline: timeline.map((step) => (step.message === undefined ? step : { ...step, message: text(step.message) })),
  } as unknown as Plain<S>;
}
