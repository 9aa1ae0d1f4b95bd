// When a screen's single-key shortcuts (arrows, Enter, Esc, letters) apply, shared by the list
// screens so that each answers the same way: never with a modifier held, under a dialog, the
// search, the alerts or the shortcuts overlay, or inside a part marked `data-no-shortcuts`.
import { ui } from "../app/state.svelte";

/** The key is for someone else: the screen leaves it alone. */
export function shortcutsOff(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || ui.shortcuts || ui.search || ui.alerts || e.ctrlKey || e.metaKey || e.altKey) return true;
  const target = e.target as HTMLElement | null;
  return !!target?.closest?.("[data-no-shortcuts]") || !!document.querySelector('[aria-modal="true"]');
}

/** The key goes into a field being typed in. */
export function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}
