// A question the core asks before an unusual change ("This appointment is tomorrow. Mark the patient
// arrived anyway?"): one dialog for the whole window, answered yes or no.
import { setAppointmentStatus, type AppointmentRow, type Status } from "../bindings";
import { call, toApiError } from "./api";
import { STATUS_LABEL } from "./status";

export const confirmState = $state({
  ask: null as { message: string; yes: string; answer: (yes: boolean) => void } | null,
});

/** Shows the question; resolves true when the person chose `yes`. */
export function askConfirm(message: string, yes: string): Promise<boolean> {
  confirmState.ask?.answer(false);
  return new Promise((resolve) => {
    confirmState.ask = {
      message,
      yes,
      answer: (v) => {
        confirmState.ask = null;
        resolve(v);
      },
    };
  });
}

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
