// Decides what is said as answers and alerts come in: each new verdict once, a hit again only when it
// grows more severe, answers arriving together as one summary, and an acknowledged alert's words dropped.
import { FIELD_CONFIG } from '../../src-shared/field-config.ts';
import { alertIdFor } from '../alerts/alert-raiser.ts';
import { summarizeAnswer } from '../alerts/classify.ts';
import type { AlertRecord } from '../db/database.ts';
import { AWAITING_ANSWER } from '../outbox/status-count.ts';
import type { QueryRow } from '../results/history.ts';
import type { Line, Speaker } from './speaker.ts';
import { answerWords, batchSummary, hitsFirst, type SpokenAnswer } from './spoken-words.ts';

/** Ranks below every alert's (classify.ts SEVERITY_RANK): a verdict with no hit is said after any alert. */
const VERDICT_RANK = 99;

interface News {
  queryId: string;
  answer: SpokenAnswer;
}

export class AnswerVoice {
  /** The most severe rank said (or seen before this view opened) per query, from its answer. */
  readonly #heard = new Map<string, number>();
  /** Queries whose possible hit was said: kept apart, so the live answer that follows is said too. */
  readonly #possibleHeard = new Set<string>();
  /** Alerts waiting at the last look, with their rank: one gone from it was acknowledged, here or in another window. */
  #waiting = new Map<string, number>();
  /** Alerts acknowledged, at the rank they had: the dialog can come and go before the answer is read back. */
  readonly #acknowledged = new Map<string, number>();
  #rowsSeen = false;
  #alertsSeen = false;
  /** Answers held while a backlog drains, to be summed up together. */
  #held: News[] = [];
  #gathering = false;
  #gatherTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly speaker: Speaker,
    private readonly gatherMs: number = FIELD_CONFIG.speechGatherMs,
  ) {}

  /**
   * The recent queries read again. The first read is what was there before: a terminal just unlocked
   * does not read out what came in behind the lock (the alerts are on screen). A hit is said on its
   * first part; a verdict with no hit once every source has answered.
   */
  rows(rows: readonly QueryRow[]): void {
    const news: News[] = [];
    for (const { entry, answer } of rows) {
      if (!answer) continue;
      const summary = summarizeAnswer(entry.query, answer.parts);
      const rank = summary.alert?.rank ?? (answer.complete ? VERDICT_RANK : undefined);
      if (rank === undefined || !this.#isNews(entry.id, rank) || this.#wasAcknowledged(entry.id, rank)) continue;
      news.push({ queryId: entry.id, answer: { query: entry.query, outcome: summary.outcome, ...(summary.alert ? { alert: summary.alert } : {}) } });
    }
    // Several queries waiting at once (a queue drained at link-back): their answers are held, then summed up
    // when the last is in, read in the same snapshot as the answers themselves.
    const awaiting = rows.filter((row) => (AWAITING_ANSWER as readonly string[]).includes(row.entry.status)).length;
    if (awaiting > 1) this.#gathering = true;
    const first = !this.#rowsSeen;
    this.#rowsSeen = true;
    if (first) return;
    if (!this.#gathering) return this.#say(news);
    this.#held.push(...news);
    if (awaiting === 0) this.flush();
    else if (this.#held.length > 0) this.#gatherTimer ??= setTimeout(() => this.flush(), this.gatherMs);
  }

  /** Says what was held back, now: the backlog is answered, or a hit has waited long enough. */
  flush(): void {
    clearTimeout(this.#gatherTimer);
    this.#gatherTimer = undefined;
    this.#gathering = false;
    this.#say(this.#held.splice(0));
  }

  /** The view closes (the terminal locks): nothing held is said later. */
  dispose(): void {
    clearTimeout(this.#gatherTimer);
    this.#gatherTimer = undefined;
    this.#held = [];
  }

  /**
   * The alerts waiting, most severe first. A possible hit (the offline hotlist) has no answer to read it
   * from: it is said from here. An alert that has left the list was acknowledged: its words stop.
   */
  alerts(pending: readonly AlertRecord[], queries: readonly QueryRow[]): void {
    const ids = new Map(pending.map((alert) => [alert.id, alert.rank]));
    for (const [gone, rank] of this.#waiting) {
      if (ids.has(gone)) continue;
      this.#acknowledged.set(gone, rank);
      this.speaker.drop(gone);
    }
    this.#waiting = ids;
    const news: News[] = [];
    for (const alert of pending) {
      const query = queries.find((row) => row.entry.id === alert.queryId)?.entry.query;
      if (alert.severity !== 'possible_hit' || !query || this.#possibleHeard.has(alert.queryId) || this.#heard.has(alert.queryId)) continue;
      this.#possibleHeard.add(alert.queryId);
      news.push({ queryId: alert.queryId, answer: { query, outcome: 'pending', alert } });
    }
    const first = !this.#alertsSeen;
    this.#alertsSeen = true;
    if (!first) this.#say(news);
  }

  /** Acknowledged already, at this severity or a worse one: nothing left to say (a raise is said). */
  #wasAcknowledged(queryId: string, rank: number): boolean {
    const acknowledged = this.#acknowledged.get(alertIdFor(queryId));
    return acknowledged !== undefined && acknowledged <= rank;
  }

  #isNews(queryId: string, rank: number): boolean {
    const heard = this.#heard.get(queryId);
    if (heard !== undefined && heard <= rank) return false;
    this.#heard.set(queryId, rank);
    return true;
  }

  /** One answer in full; several that came together as a count, then their hits. */
  #say(news: readonly News[]): void {
    if (news.length === 0) return;
    const lines = (each: News): Line[] => answerWords(each.answer).map((text) => ({ text, about: alertIdFor(each.queryId) }));
    if (news.length === 1) return this.speaker.say(lines(news[0]!));
    const hits = hitsFirst(news.map((each) => each.answer));
    const ordered = hits.map((answer) => news.find((each) => each.answer === answer)!);
    this.speaker.say([{ text: batchSummary(news.map((each) => each.answer)) }, ...ordered.flatMap(lines)]);
  }
}
