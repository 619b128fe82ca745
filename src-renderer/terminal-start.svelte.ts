// Starts the terminal once the platform says which switch to use: the sealed database, the session behind the
// use notice, and the terminal itself from the first unlock of a shift to its end; or says plainly why it cannot.
import type { TerminalConfig } from '../src-shared/ipc.ts';
import { FIELD_CONFIG } from '../src-shared/field-config.ts';
import { whereNow } from '../src-shared/where.ts';
import { DATABASE_NAME, openDatabase, type OutriderDb } from './db/database.ts';
import { GpsView } from './gps/gps-view.svelte.ts';
import { currentPlatform, type Platform } from './platform/platform.ts';
import { AuthClient } from './session/auth-client.ts';
import { SessionController } from './session/session.svelte.ts';
import { Defences } from './status/defences.svelte.ts';
import { startJournal, tidyJournal } from './outbox/journal-restore.ts';
import { attachJournal, type JournalHeader, type JournalKey, QueueJournal } from './outbox/queue-journal.ts';
import { terminalIdentity } from './sync/identity.ts';
import { startTerminal, type Terminal } from './terminal.ts';
import { KEY_DATABASE, KeychainRequired, loadDataKey } from './vault/data-key.ts';

export class TerminalStart {
  config = $state<TerminalConfig>();
  db = $state<OutriderDb>();
  session = $state<SessionController>();
  terminal = $state<Terminal>();
  startError = $state<string>();
  /** Why an agency terminal cannot use the OS keychain: it opens no CJI then. */
  keychainMissing = $state<string>();
  readonly defences = new Defences();
  /**
   * The car's GPS, followed from the start, not only once the terminal shows: every audit line is stamped with
   * where the car was, the sign-in's included. The status bar and the motion lock read this same view.
   */
  readonly gps: GpsView;
  #identity: Promise<string> | undefined;
  #tidy: ReturnType<typeof setTimeout> | undefined;
  #stopGps: (() => void) | undefined;

  constructor(private readonly platform: Platform = currentPlatform()) {
    this.gps = new GpsView(platform);
  }

  /** Asks the platform for the configuration, then opens storage and the session. */
  begin(): void {
    this.#stopGps ??= this.gps.start();
    void this.platform.getConfig().then((given) => {
      if (given.ok) this.#start(given.value).catch((error: unknown) => (this.startError = `The terminal's storage could not be opened: ${(error as Error).message}`));
      else this.startError = given.error;
    });
  }

  /** Starts the terminal at a shift's first unlock; a lock hides it but keeps it sending. Call from an effect. */
  follow(): void {
    const { session, config, db } = this;
    if (!session || !config || !db || !this.#identity || this.terminal || session.phase !== 'active') return;
    const access = {
      token: () => session.token(),
      unauthorized: (token: string | undefined) => session.unauthorized(token),
      get locked() {
        return session.phase !== 'active';
      },
      linkBack: () => session.linkBack(),
    };
    this.terminal = startTerminal(config, this.platform, db, this.#identity, access, this.defences);
  }

  stop(): void {
    clearTimeout(this.#tidy);
    this.terminal?.stop();
    this.session?.stop();
    this.#stopGps?.();
    this.#stopGps = undefined;
  }

  async #start(given: TerminalConfig): Promise<void> {
    let terminalId = '';
    // The queue journal, read before the database opens: should the browser have deleted the database, its key and
    // this terminal's id are taken up from the journal's header, so the queries it holds open and resend as they were.
    const journal = await QueueJournal.open(DATABASE_NAME).catch((error: unknown) => void this.#journalTrouble(`The queue journal could not be opened: ${(error as Error).message}`));
    const header = await journal?.header();
    let journalKey: JournalKey | undefined;
    // No silent fallback in an agency's installed app: no keychain, no CJI. A drill and the browser build may
    // keep the key wrapped by the browser profile, and the status bar says so.
    const policy = {
      requireKeychain: given.mode === 'agency' && given.shell === 'electron',
      protectedBy: (by: 'keychain' | 'browser') => (this.defences.dataKey = by),
      recovered: header?.key,
      kept: (key: JournalKey) => (journalKey = key),
    };
    const dataKey = () =>
      loadDataKey(this.platform, KEY_DATABASE, policy).catch((error: unknown) => {
        if (error instanceof KeychainRequired) this.keychainMissing = error.reason;
        throw error;
      });
    // Every audit line is stamped with who holds the shift, which terminal this is and where the car is now (a
    // query with where it was at Enter): the fix, or no fix and why, never nothing.
    const stamp = () => ({ officer: this.session?.officer?.id ?? '', terminal: terminalId, where: whereNow(this.gps.status, Date.now()) });
    const opened = openDatabase(DATABASE_NAME, dataKey, { stamp });
    this.#identity = terminalIdentity(opened, header?.terminalId);
    terminalId = await this.#identity;
    if (journal && journalKey) await this.#startJournal(opened, journal, header, { terminalId, key: journalKey });
    const controller = new SessionController({
      db: opened,
      auth: new AuthClient(given.switchUrl.replace(/\/+$/, '')),
      terminal: this.#identity,
      lockAfterMs: (given.lockAfterMinutes ?? FIELD_CONFIG.lockAfterMinutes) * 60_000,
    });
    // The terminal stops sending before a shift ends: nothing goes out under an officer who has left.
    controller.beforeShiftEnds = async () => {
      const running = this.terminal;
      this.terminal = undefined;
      await running?.shutdown();
    };
    await controller.start();
    this.config = given;
    this.db = opened;
    this.session = controller;
  }

  /** Restores what the browser deleted, then journals every query from here on; a journal that fails is said, not fatal. */
  async #startJournal(db: OutriderDb, journal: QueueJournal, header: JournalHeader | undefined, now: { terminalId: string; key: JournalKey }): Promise<void> {
    try {
      const started = await startJournal(db, journal, header, now);
      journal.onTrouble = (message) => (this.defences.journal = message);
      attachJournal(db, journal);
      this.#tidy = setTimeout(() => {
        tidyJournal(db, journal).catch((error: unknown) => journal.noteTrouble(`The queue journal could not be tidied: ${(error as Error).message}`));
      }, FIELD_CONFIG.journalTidyAfterMs);
      if (started.restored > 0) this.defences.journal = `${started.restored} ${started.restored === 1 ? 'query' : 'queries'} restored from the queue journal`;
      if (started.unreadable > 0) this.#journalTrouble(`${started.unreadable} journaled ${started.unreadable === 1 ? 'query does' : 'queries do'} not open under this terminal's key`);
    } catch (error) {
      this.#journalTrouble(`The queue journal could not be read: ${(error as Error).message}`);
    }
  }

  #journalTrouble(message: string): void {
    console.error(message);
    this.defences.journal = message;
  }
}
