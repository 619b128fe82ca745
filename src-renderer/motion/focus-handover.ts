// Where focus goes as the motion lock hides the forms and gives them back: never lost into the page behind them.

export class FocusHandover {
  #returnTo: HTMLElement | undefined;

  /** Before the forms hide: remembers the field the officer was in, if focus was among them. */
  leaving(area: HTMLElement): void {
    const active = document.activeElement;
    this.#returnTo = active instanceof HTMLElement && area.contains(active) ? active : undefined;
  }

  /** Once the lock's panel shows: focus moves onto it if it was in the forms, or nowhere in particular. */
  arrived(panel: HTMLElement | undefined): void {
    if (this.#returnTo || document.activeElement === document.body) panel?.focus();
  }

  /**
   * Once the forms are back: to the field the officer left (or the form's first), unless the officer has put focus
   * somewhere else meanwhile, or an alert holds it (it gives focus back itself when acknowledged).
   */
  back(area: HTMLElement): void {
    const target = this.#returnTo?.isConnected ? this.#returnTo : area.querySelector<HTMLElement>('form input');
    this.#returnTo = undefined;
    if (document.querySelector('dialog:modal')) return;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) target?.focus();
  }
}
