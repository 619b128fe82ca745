// Where focus goes as the motion lock hides the forms and gives them back: never lost into the page behind them.

/** Runs `move` now, or, while an alert holds focus in its modal dialog, once the dialog closes. */
function afterAlert(move: () => void): void {
  const modal = document.querySelector('dialog:modal');
  if (modal) modal.addEventListener('close', move, { once: true });
  else move();
}

/** Nothing in particular has focus: the page itself, or an element gone from it. */
function focusAdrift(): boolean {
  const active = document.activeElement;
  return !active || active === document.body || !active.isConnected;
}

export class FocusHandover {
  #returnTo: HTMLElement | undefined;

  /** Before the forms hide: remembers the field the officer was in, if focus was among them. */
  leaving(area: HTMLElement): void {
    const active = document.activeElement;
    this.#returnTo = active instanceof HTMLElement && area.contains(active) ? active : undefined;
  }

  /** Once the lock's panel shows: focus moves onto it from the forms, or from nowhere in particular. */
  arrived(panel: HTMLElement | undefined): void {
    const fromForms = this.#returnTo !== undefined;
    afterAlert(() => {
      if (panel?.isConnected && (fromForms || focusAdrift())) panel.focus();
    });
  }

  /**
   * Once the forms are back: to the field the officer left (or the form's first), unless the officer has put focus
   * somewhere else meanwhile. An alert up at that moment keeps focus until acknowledged, and hands it on then.
   */
  back(area: HTMLElement): void {
    const target = this.#returnTo?.isConnected ? this.#returnTo : area.querySelector<HTMLElement>('form input');
    this.#returnTo = undefined;
    afterAlert(() => {
      if (focusAdrift()) target?.focus();
    });
  }
}
