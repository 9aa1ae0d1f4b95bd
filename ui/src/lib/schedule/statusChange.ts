// Moving an appointment to a status, asking the person first when the core says the change is
// unusual (an arrival on another day or hours early).
import { setAppointmentStatus, type AppointmentRow, type Status } from "../../bindings";
import { call, toApiError } from "../app/api";
import { askConfirm } from "../ui/confirm.svelte";
import { STATUS_LABEL } from "./status";

/**
 * Moves an appointment to a status; when the core asks first (an arrival on another day or hours
 * early), asks the person and repeats the request only on "yes". Null when they said no.
 */
export async function changeStatus(appointmentId: number, status: Status): Promise<AppointmentRow | null> {
  try {
    return await call(setAppointmentStatus({ appointment_id: appointmentId, status, confirmed: false }));
  } catch (raw) {
    const e = toApiError(raw);
    if (e.code !== "needs_confirmation") throw raw;
    if (!(await askConfirm(e.message, `Mark ${STATUS_LABEL[status]}`))) return null;
    return await call(setAppointmentStatus({ appointment_id: appointmentId, status, confirmed: true }));
  }
}
