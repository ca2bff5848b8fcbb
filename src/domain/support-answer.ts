import type { IneligibilityCode } from "./eligibility";
import type { Locale } from "./locale-negotiation";

// The standard words support tells a customer about their car (SPEC: Support
// answers), generated from the owner's own status so staff never improvise
// and never contradict the owner page. Pure and deterministic: the same status
// gives the same words. Times are Amsterdam time (the fleet's operations time
// zone), named in the text (CET/CEST, MEZ/MESZ) so nobody has to guess.

export const answerTimeZone = "Europe/Amsterdam";

/** The owner's status (GET /v1/track) in one language: the fields the answer draws on. */
export type AnswerStatus = {
  vehicle: { model: string; firmware: string };
  release: { version: string } | null;
  state: "queued" | "offered" | "downloading" | "installing" | "installed" | "failed" | "cancelled" | "not_eligible" | "up_to_date";
  reason?: string;
  reasonCode?: IneligibilityCode;
  queue: { position: number; total: number; ahead: number; wave: { index: number; name: string; state: "pending" | "active" | "done" } | null } | null;
  eta: { earliest: string | Date; latest: string | Date } | null;
  notice: { kind: "paused" | "halted"; message: string } | null;
  /** The known issues the owner sees, titles in this language. */
  knownIssues?: { id: number; title: string; status: "investigating" | "workaround" | "fixed"; fixedIn: string | null }[];
};

/** What the status does not say but an answer needs: the failure's code, and the facts behind "not eligible". */
export type AnswerFacts = {
  errorCode?: string | null;
  hardware?: string;
  region?: string;
  minVersion?: string | null;
  /** Known issues whose error codes match the car's last failed report: named first, as what the car has. */
  matchingKnownIssueIds?: number[];
};

/** At most this many known issues are read out: an answer stays something one can say on the phone. */
const maxIssuesInAnswer = 3;
type IssueStatus = NonNullable<AnswerStatus["knownIssues"]>[number]["status"];

type Words = {
  number: string;
  cars: (n: number) => string;
  line: (s: { position: string; total: string; version: string; wave: string }) => string;
  ahead: (cars: string) => string;
  between: (from: string, to: string, day: string) => string;
  betweenDays: (from: string, to: string) => string;
  expected: (range: string) => string;
  paused: (message: string) => string;
  halted: (message: string) => string;
  noStart: string;
  noEstimate: string;
  offered: (version: string) => string;
  downloading: (version: string) => string;
  installing: (version: string) => string;
  installed: (version: string) => string;
  failed: (version: string, code: string | null) => string;
  cancelled: (version: string, firmware: string) => string;
  notEligible: (version: string, why: string) => string;
  why: Record<IneligibilityCode, (f: AnswerFacts & { model: string; firmware: string }) => string>;
  upToDate: (firmware: string) => string;
  knownIssue: (title: string, matches: boolean) => string;
  issueStatus: Record<IssueStatus, (fixedIn: string | null) => string>;
};

const en: Words = {
  number: "en-GB",
  cars: (n) => (n === 1 ? "car" : "cars"),
  line: ({ position, total, version, wave }) => `Your car is number ${position} of ${total} in line for update ${version}${wave ? `, in wave ${wave}` : ""}.`,
  ahead: (cars) => `${cars} ahead of it have not been offered the update yet.`,
  between: (from, to, day) => `between ${from} and ${to} on ${day}`,
  betweenDays: (from, to) => `between ${from} and ${to}`,
  expected: (range) => `We expect to offer it ${range}.`,
  paused: (message) => `The rollout is paused at the moment ("${message}"), so there is no estimate until it resumes.`,
  halted: (message) => `The rollout has been stopped ("${message}"), so there is no estimate.`,
  noStart: "Its wave has no start time yet, so there is no estimate yet; it appears as soon as the wave is scheduled.",
  noEstimate: "There is no estimate yet.",
  offered: (v) => `Update ${v} has been offered to your car. It downloads when the car is online; nothing else is needed.`,
  downloading: (v) => `Your car is downloading update ${v}.`,
  installing: (v) => `Your car is installing update ${v}.`,
  installed: (v) => `Your car has installed update ${v}.`,
  failed: (v, code) => `Installing update ${v} failed${code ? ` (error code ${code})` : ""}. The car may try again by itself; if not, we will look into it.`,
  cancelled: (v, fw) => `The rollout of update ${v} was stopped before it reached your car; it will not be installed and your car keeps firmware ${fw}.`,
  notEligible: (v, why) => `Update ${v} is not for your car: ${why}`,
  why: {
    channel: () => "it is for another channel than your car's.",
    model: (f) => `it is not for the ${f.model} model.`,
    hardware: (f) => `it does not support hardware ${f.hardware ?? "of your car"}.`,
    region: (f) => `it is not available in region ${f.region ?? "of your car"} yet.`,
    min_version: (f) => `your car needs firmware ${f.minVersion ?? "a newer version"} or newer first; it has ${f.firmware}.`,
  },
  upToDate: (fw) => `Your car is up to date: it has firmware ${fw}, and there is no newer update for it right now.`,
  knownIssue: (title, matches) => (matches ? `This matches a known issue: "${title}"` : `There is a known issue with this update: "${title}"`),
  issueStatus: {
    investigating: () => "; we are investigating it.",
    workaround: () => "; there is a workaround, described on the owner's tracking page.",
    fixed: (v) => (v ? `; it is fixed in update ${v}.` : "; it has been fixed."),
  },
};

const nl: Words = {
  number: "nl-NL",
  cars: (n) => (n === 1 ? "auto" : "auto's"),
  line: ({ position, total, version, wave }) => `Uw auto staat op plaats ${position} van ${total} in de rij voor update ${version}${wave ? `, in golf ${wave}` : ""}.`,
  ahead: (cars) => `${cars} voor hem hebben de update nog niet aangeboden gekregen.`,
  between: (from, to, day) => `tussen ${from} en ${to} op ${day}`,
  betweenDays: (from, to) => `tussen ${from} en ${to}`,
  expected: (range) => `We verwachten hem ${range} aan te bieden.`,
  paused: (message) => `De uitrol is op dit moment gepauzeerd ("${message}"), dus er is geen verwachting tot hij verdergaat.`,
  halted: (message) => `De uitrol is gestopt ("${message}"), dus er is geen verwachting.`,
  noStart: "Zijn golf heeft nog geen starttijd, dus er is nog geen verwachting; die verschijnt zodra de golf gepland is.",
  noEstimate: "Er is nog geen verwachting.",
  offered: (v) => `Update ${v} is aan uw auto aangeboden. Hij wordt gedownload zodra de auto online is; verder hoeft u niets te doen.`,
  downloading: (v) => `Uw auto downloadt update ${v}.`,
  installing: (v) => `Uw auto installeert update ${v}.`,
  installed: (v) => `Uw auto heeft update ${v} geïnstalleerd.`,
  failed: (v, code) => `Het installeren van update ${v} is mislukt${code ? ` (foutcode ${code})` : ""}. De auto kan het zelf opnieuw proberen; zo niet, dan zoeken wij het uit.`,
  cancelled: (v, fw) => `De uitrol van update ${v} is gestopt voordat uw auto aan de beurt was; hij wordt niet geïnstalleerd en uw auto houdt firmware ${fw}.`,
  notEligible: (v, why) => `Update ${v} is niet voor uw auto: ${why}`,
  why: {
    channel: () => "hij is voor een ander kanaal dan dat van uw auto.",
    model: (f) => `hij is niet voor het model ${f.model}.`,
    hardware: (f) => `hij ondersteunt hardware ${f.hardware ?? "van uw auto"} niet.`,
    region: (f) => `hij is nog niet beschikbaar in regio ${f.region ?? "van uw auto"}.`,
    min_version: (f) => `uw auto heeft eerst firmware ${f.minVersion ?? "een nieuwere versie"} of nieuwer nodig; hij heeft ${f.firmware}.`,
  },
  upToDate: (fw) => `Uw auto is up-to-date: hij heeft firmware ${fw} en er is op dit moment geen nieuwere update voor hem.`,
  knownIssue: (title, matches) => (matches ? `Dit komt overeen met een bekend probleem: "${title}"` : `Er is een bekend probleem met deze update: "${title}"`),
  issueStatus: {
    investigating: () => "; we onderzoeken het.",
    workaround: () => "; er is een oplossing om het te omzeilen, beschreven op de volgpagina van de eigenaar.",
    fixed: (v) => (v ? `; het is opgelost in update ${v}.` : "; het is opgelost."),
  },
};

const de: Words = {
  number: "de-DE",
  cars: (n) => (n === 1 ? "Fahrzeug" : "Fahrzeuge"),
  line: ({ position, total, version, wave }) => `Ihr Fahrzeug ist Nummer ${position} von ${total} in der Warteschlange für Update ${version}${wave ? `, in Welle ${wave}` : ""}.`,
  ahead: (cars) => `${cars} davor haben das Update noch nicht angeboten bekommen.`,
  between: (from, to, day) => `zwischen ${from} und ${to} am ${day}`,
  betweenDays: (from, to) => `zwischen ${from} und ${to}`,
  expected: (range) => `Wir erwarten, es ${range} anzubieten.`,
  paused: (message) => `Die Verteilung ist derzeit pausiert („${message}“), daher gibt es keine Schätzung, bis sie weitergeht.`,
  halted: (message) => `Die Verteilung wurde gestoppt („${message}“), daher gibt es keine Schätzung.`,
  noStart: "Seine Welle hat noch keine Startzeit, daher gibt es noch keine Schätzung; sie erscheint, sobald die Welle geplant ist.",
  noEstimate: "Es gibt noch keine Schätzung.",
  offered: (v) => `Update ${v} wurde Ihrem Fahrzeug angeboten. Es wird heruntergeladen, sobald das Fahrzeug online ist; sonst ist nichts zu tun.`,
  downloading: (v) => `Ihr Fahrzeug lädt Update ${v} herunter.`,
  installing: (v) => `Ihr Fahrzeug installiert Update ${v}.`,
  installed: (v) => `Ihr Fahrzeug hat Update ${v} installiert.`,
  failed: (v, code) => `Die Installation von Update ${v} ist fehlgeschlagen${code ? ` (Fehlercode ${code})` : ""}. Das Fahrzeug versucht es eventuell selbst erneut; sonst kümmern wir uns darum.`,
  cancelled: (v, fw) => `Die Verteilung von Update ${v} wurde gestoppt, bevor Ihr Fahrzeug an der Reihe war; es wird nicht installiert und Ihr Fahrzeug behält Firmware ${fw}.`,
  notEligible: (v, why) => `Update ${v} ist nicht für Ihr Fahrzeug: ${why}`,
  why: {
    channel: () => "es ist für einen anderen Kanal als den Ihres Fahrzeugs.",
    model: (f) => `es ist nicht für das Modell ${f.model}.`,
    hardware: (f) => `es unterstützt die Hardware ${f.hardware ?? "Ihres Fahrzeugs"} nicht.`,
    region: (f) => `es ist in der Region ${f.region ?? "Ihres Fahrzeugs"} noch nicht verfügbar.`,
    min_version: (f) => `Ihr Fahrzeug braucht zuerst Firmware ${f.minVersion ?? "einer neueren Version"} oder neuer; es hat ${f.firmware}.`,
  },
  upToDate: (fw) => `Ihr Fahrzeug ist auf dem neuesten Stand: Es hat Firmware ${fw}, und derzeit gibt es kein neueres Update dafür.`,
  knownIssue: (title, matches) => (matches ? `Das entspricht einem bekannten Problem: „${title}“` : `Es gibt ein bekanntes Problem mit diesem Update: „${title}“`),
  issueStatus: {
    investigating: () => "; wir untersuchen es.",
    workaround: () => "; es gibt eine Umgehung, beschrieben auf der Statusseite des Halters.",
    fixed: (v) => (v ? `; es ist in Update ${v} behoben.` : "; es ist behoben."),
  },
};

const words: Record<Locale, Words> = { en, nl, de };

/** "14:00 CET" and "25 November" in Amsterdam time; fixed 24-hour clock in every language. */
function clock(at: Date, lang: Locale) {
  const parts = new Intl.DateTimeFormat(words[lang].number, { timeZone: answerTimeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const day = new Intl.DateTimeFormat(words[lang].number, { timeZone: answerTimeZone, day: "numeric", month: "long" }).format(at);
  return { time: `${part("hour")}:${part("minute")} ${part("timeZoneName")}`, day };
}

function etaWords(eta: NonNullable<AnswerStatus["eta"]>, lang: Locale) {
  const from = clock(new Date(eta.earliest), lang);
  const to = clock(new Date(eta.latest), lang);
  const w = words[lang];
  return from.day === to.day ? w.between(from.time, to.time, from.day) : w.betweenDays(`${from.day} ${from.time}`, `${to.day} ${to.time}`);
}

function queuedWords(status: AnswerStatus, w: Words, lang: Locale, version: string) {
  const n = (v: number) => new Intl.NumberFormat(w.number).format(v);
  const q = status.queue;
  const sentences: string[] = [];
  if (q) {
    const wave = q.wave ? `${q.wave.index} ("${q.wave.name}")` : "";
    sentences.push(w.line({ position: n(q.position), total: n(q.total), version, wave }), w.ahead(`${n(q.ahead)} ${w.cars(q.ahead)}`));
  }
  if (status.eta) sentences.push(w.expected(etaWords(status.eta, lang)));
  else if (status.notice) sentences.push(status.notice.kind === "paused" ? w.paused(status.notice.message) : w.halted(status.notice.message));
  else sentences.push(q?.wave?.state === "pending" ? w.noStart : w.noEstimate);
  return sentences.join(" ");
}

/** The known issues to mention: those matching the car's error code, else the ones the owner sees, a few at most. */
function knownIssueWords(status: AnswerStatus, w: Words, facts: AnswerFacts): string {
  const issues = status.knownIssues ?? [];
  const matching = issues.filter((i) => facts.matchingKnownIssueIds?.includes(i.id));
  const named = (matching.length ? matching : issues).slice(0, maxIssuesInAnswer);
  return named.map((i) => ` ${w.knownIssue(i.title, matching.length > 0)}${w.issueStatus[i.status](i.fixedIn)}`).join("");
}

/** The answer in one language, from the owner's status in that language. */
export function supportAnswer(status: AnswerStatus, lang: Locale, facts: AnswerFacts = {}): string {
  return stateWords(status, lang, facts) + knownIssueWords(status, words[lang], facts);
}

function stateWords(status: AnswerStatus, lang: Locale, facts: AnswerFacts): string {
  const w = words[lang];
  const version = status.release?.version ?? "";
  const stopped = status.notice ? ` ${status.notice.kind === "paused" ? w.paused(status.notice.message) : w.halted(status.notice.message)}` : "";
  switch (status.state) {
    case "queued":
      return queuedWords(status, w, lang, version);
    case "offered":
      return w.offered(version) + stopped;
    case "downloading":
      return w.downloading(version);
    case "installing":
      return w.installing(version);
    case "installed":
      return w.installed(version);
    case "failed":
      return w.failed(version, facts.errorCode ?? null);
    case "cancelled":
      return w.cancelled(version, status.vehicle.firmware) + (status.notice ? ` ("${status.notice.message}")` : "");
    case "not_eligible": {
      const why = status.reasonCode ? w.why[status.reasonCode]({ ...facts, model: status.vehicle.model, firmware: status.vehicle.firmware }) : (status.reason ?? "");
      return w.notEligible(version, why);
    }
    case "up_to_date":
      return w.upToDate(status.vehicle.firmware);
  }
}

/** The answer in every language we answer in, each from the status in that language. */
export function supportAnswers(statusIn: (lang: Locale) => AnswerStatus, facts: AnswerFacts = {}): Record<Locale, string> {
  return { en: supportAnswer(statusIn("en"), "en", facts), nl: supportAnswer(statusIn("nl"), "nl", facts), de: supportAnswer(statusIn("de"), "de", facts) };
}
