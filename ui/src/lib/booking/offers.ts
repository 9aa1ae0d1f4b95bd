// After a slot frees (cancel, reschedule, no-show), offer it to the wait list.
import type { SlotChange } from "../../bindings";
import { options } from "./booking.svelte";
import { ui } from "../app/state.svelte";

/** Shows the wait-list offers dialog when the change freed a slot someone is waiting for. */
export function showOffers(change: SlotChange, verb: string): void {
  if (!change.freed || change.offers.length === 0) return;
  const a = change.appointment;
  const service = options.data?.services.find((s) => s.code === a.service_code) ?? null;
  ui.offers = {
    slot: change.freed,
    serviceId: service?.id ?? null,
    offers: change.offers,
    why: `${verb}: ${a.patient_name}, ${change.freed.start_local}–${change.freed.end_local}`,
  };
}
