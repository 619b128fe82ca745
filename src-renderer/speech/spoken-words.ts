// What the terminal says aloud about an answer: cautions first, then the hit, then what it was about,
// plates and serials spelled in the phonetic alphabet so a driver cannot mishear "B" for "D".
import type { AlertSeverity } from '../../src-shared/ipc.ts';
import { ARTICLE_TYPE_CODES, describeCode, GUN_MAKE_CODES, STATE_CODES } from '../../src-shared/code-tables/index.ts';
import type { Query } from '../../src-shared/queries.ts';
import type { AnswerOutcome } from '../alerts/classify.ts';

/**
 * The APCO/NATO (ICAO) alphabet radio traffic uses. Alfa and Juliett are written as they are said, so a
 * text-to-speech voice pronounces them rightly.
 */
const PHONETIC: Readonly<Record<string, string>> = {
  A: 'alpha', B: 'bravo', C: 'charlie', D: 'delta', E: 'echo', F: 'foxtrot', G: 'golf', H: 'hotel', I: 'india',
  J: 'juliet', K: 'kilo', L: 'lima', M: 'mike', N: 'november', O: 'oscar', P: 'papa', Q: 'quebec', R: 'romeo',
  S: 'sierra', T: 'tango', U: 'uniform', V: 'victor', W: 'whiskey', X: 'x-ray', Y: 'yankee', Z: 'zulu',
};
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'] as const;
const TEENS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'] as const;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

/** Letter by letter and digit by digit, as a dispatcher reads a plate: "4TRN123" is "four tango romeo november one two three". */
export function spell(text: string): string {
  return [...text.toUpperCase()]
    .map((char) => (/[0-9]/.test(char) ? DIGITS[Number(char)] : PHONETIC[char]))
    .filter((word): word is string => word !== undefined)
    .join(' ');
}

/** A count in words for the batch summary ("three answers"); past ninety-nine, in figures. */
export function countWords(count: number): string {
  if (!Number.isInteger(count) || count < 0 || count > 99) return String(count);
  if (count < 10) return DIGITS[count]!;
  if (count < 20) return TEENS[count - 10]!;
  const unit = count % 10;
  return TENS[Math.floor(count / 10)]! + (unit ? `-${DIGITS[unit]}` : '');
}

const plural = (count: number, one: string, many: string) => `${countWords(count)} ${count === 1 ? one : many}`;

/** Capitals read well on screen and badly aloud: some voices spell a word in capitals letter by letter. */
const sentenceCase = (text: string) => text.toLowerCase().replace(/^./, (first) => first.toUpperCase());
const titleCase = (text: string) => text.toLowerCase().replace(/\b\p{L}/gu, (first) => first.toUpperCase());

/** A state by its name when the code table knows it, else its letters spelled. */
const state = (code: string) => describeCode(STATE_CODES, code) ?? spell(code);

/** "TRAINING, ARMED J" as a person says it: "Armed J Training". */
export function sayName(nam: string): string {
  const [last = '', given = ''] = nam.split(',').map((part) => part.trim());
  return titleCase([given, last].filter(Boolean).join(' '));
}

/** An ISO date of birth as words a voice reads right: "born 4 April 1985". */
function born(dob: string): string {
  const [year, month, day] = dob.split('-').map(Number);
  const name = month ? MONTHS[month - 1] : undefined;
  return name && day && year ? `born ${day} ${name} ${year}` : `born ${dob}`;
}

/** What was asked, said aloud: plate, VIN, licence and serial spelled; a person by name and birth date. */
export function saySubject(query: Query): string {
  switch (query.kind) {
    case 'plate':
      return `Plate ${spell(query.lic)}, ${state(query.lis)}.`;
    case 'vin':
      return `VIN ${spell(query.vin)}.`;
    case 'person':
    case 'licence_name':
      return `${sayName(query.nam)}, ${born(query.dob)}.`;
    case 'person_oln':
    case 'licence':
      return `Licence ${spell(query.oln)}, ${state(query.ols)}.`;
    case 'gun':
      return `Gun serial ${spell(query.ser)}, make ${titleCase(describeCode(GUN_MAKE_CODES, query.mak) ?? spell(query.mak))}.`;
    case 'article':
      return `Article serial ${spell(query.ser)}, ${sentenceCase(describeCode(ARTICLE_TYPE_CODES, query.typ) ?? spell(query.typ))}.`;
  }
}

/** An answer as the speech needs it: what was asked, the verdict, and the alert it raised if any. */
export interface SpokenAnswer {
  query: Query;
  outcome: AnswerOutcome;
  alert?: { severity: AlertSeverity; rank: number; title: string; cautions: readonly string[] };
}

/** The verdict of an answer with no alert, short: the officer asked, and waits only for this. */
const VERDICT_WORDS: Readonly<Record<AnswerOutcome, string | undefined>> = {
  hit: 'Hit.',
  record: 'On file, no want.',
  no_record: 'No record.',
  unavailable: 'Source unavailable.',
  pending: undefined,
};

/**
 * The sentences for one answer, in the order an officer must hear them: the caution that keeps them
 * alive, then what hit, then on whom. An answer with no hit is one short verdict and the subject.
 */
export function answerWords(answer: SpokenAnswer): string[] {
  const { alert } = answer;
  if (!alert) {
    const verdict = VERDICT_WORDS[answer.outcome];
    return verdict ? [`${verdict} ${saySubject(answer.query)}`] : [];
  }
  const cautions = alert.cautions.length > 0 ? [`Caution. ${sentenceCase(alert.cautions.join(', '))}.`] : [];
  const hit = alert.severity === 'possible_hit' ? 'Possible hit, confirm live' : 'Hit';
  const titles = sentenceCase(alert.title.split(' / ').join(', '));
  return [...cautions, `${hit}. ${titles}.`, saySubject(answer.query)];
}

/** Hits among `answers`, most severe first: the order they are read after a summary. */
export function hitsFirst(answers: readonly SpokenAnswer[]): SpokenAnswer[] {
  return answers.filter((answer) => answer.alert).sort((a, b) => a.alert!.rank - b.alert!.rank);
}

/**
 * Answers that arrived together (a queue drained at link-back) as one count: "Three answers, one hit."
 * The answers with no hit are on screen; reading each aloud would bury the hit.
 */
export function batchSummary(answers: readonly SpokenAnswer[]): string {
  const hits = hitsFirst(answers).length;
  return `${sentenceCase(plural(answers.length, 'answer', 'answers'))}, ${hits === 0 ? 'no hits' : plural(hits, 'hit', 'hits')}.`;
}
