// Where the keyboard's focus goes when a dialog or an overlay closes.

/**
 * Back to the element that opened it, once the DOM has settled. When that element went with the
 * dialog (a dialog opened from another dialog, a drawer that closed), to the screen's current item
 * instead, so the keyboard keeps working without a click. Whatever took the focus meanwhile (a
 * dialog that opened, a form the closing action opened) keeps it.
 */
export function restoreFocus(before: HTMLElement | null): void {
  setTimeout(() => {
    const now = document.activeElement;
    if (now && now !== document.body && document.contains(now)) return;
    const alive = !!before && before !== document.body && document.contains(before);
    const top = [...document.querySelectorAll<HTMLElement>('[aria-modal="true"]')].pop();
    if (top) {
      if (alive && top.contains(before)) before!.focus?.();
    } else if (alive) before!.focus?.();
    else focusHome();
  }, 0);
}

/** The screen's current item (its roving tab stop), else the main area itself. */
function focusHome(): void {
  const home =
    document.querySelector<HTMLElement>('main [tabindex="0"][aria-selected="true"]') ??
    document.querySelector<HTMLElement>('main [tabindex="0"]') ??
    document.querySelector<HTMLElement>("main");
  if (!home) return;
  if (home.tagName === "MAIN" && !home.hasAttribute("tabindex")) home.setAttribute("tabindex", "-1");
  home.focus({ preventScroll: true });
}
