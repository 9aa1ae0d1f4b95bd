// Rows as the core sends them, for tests: every field filled with something plausible, the fields
// a test is about given. Only tests import this file.
import type { AccessProfile, Action, Alert, AppointmentRow, DayView, Role, Slot, StaffMember } from "../../bindings";

let nextId = 1000;

/** An appointment of doctor 1 at branch 1, 09:00–09:15 on 2026-12-08 (UTC), booked. */
export function appt(over: Partial<AppointmentRow> = {}): AppointmentRow {
  const id = over.id ?? nextId++;
  return {
    id,
    patient_id: id + 5000,
    patient_name: `Patient ${id}`,
    patient_age: 40,
    doctor_id: 1,
    branch_id: 1,
    service_code: "consult",
    service_name: "Consultation",
    starts_at: 1_796_720_400,
    ends_at: 1_796_721_300,
    start_local: "09:00",
    end_local: "09:15",
    status: "booked",
    source: "phone",
    reason: "",
    notes: "",
    arrived_at: null,
    in_room_at: null,
    completed_at: null,
    ...over,
  };
}

/** A day with the doctors given (ids 1…n) and the appointments given. */
export function dayOf(appointments: AppointmentRow[], doctors = 2, over: Partial<DayView> = {}): DayView {
  return {
    date: "2026-12-08",
    today: "2026-12-08",
    timezone: "UTC",
    zone_label: "UTC",
    branches: [{ id: 1, name: "Main" }],
    branch_id: null,
    doctors: Array.from({ length: doctors }, (_, i) => ({
      id: i + 1,
      name: `Dr. ${String.fromCharCode(65 + i)}`,
      department: "General",
      hours: "09:00–17:00",
    })),
    appointments,
    counts: { booked: 0, confirmed: 0, arrived: 0, in_room: 0, completed: 0, no_show: 0, cancelled: 0, rescheduled: 0 },
    notices: [],
    wait_amber_minutes: 15,
    wait_red_minutes: 30,
    can_update: true,
    only_doctor_id: null,
    ...over,
  };
}

/** A free slot with doctor 1 at branch 1 on 2026-12-08. */
export function slot(over: Partial<Slot> = {}): Slot {
  return {
    doctor_id: 1,
    doctor_name: "Dr. A",
    department: "General",
    branch_id: 1,
    branch_name: "Main",
    starts_at: 1_796_720_400,
    ends_at: 1_796_721_300,
    date: "2026-12-08",
    start_local: "09:00",
    end_local: "09:15",
    ...over,
  };
}

/** An unseen alert raised at `created_at` (unix seconds). */
export function alert(over: Partial<Alert> = {}): Alert {
  const id = over.id ?? nextId++;
  return {
    id,
    kind: "escalation_breach",
    entity: "escalation",
    entity_id: id + 100,
    urgent: false,
    title: `Alert ${id}`,
    body: "An escalation is past its SLA",
    created_at: Math.floor(Date.now() / 1000),
    seen: false,
    delivered: true,
    delivery_error: null,
    ...over,
  };
}

/** An active receptionist account with its own password, not locked. */
export function staffMember(over: Partial<StaffMember> = {}): StaffMember {
  const staff_id = over.staff_id ?? nextId++;
  return {
    staff_id,
    username: `user${staff_id}`,
    display_name: `Person ${staff_id}`,
    email: null,
    role: "receptionist",
    active: true,
    locked: false,
    must_change_password: false,
    doctor_id: null,
    doctor_name: null,
    created_at: 1_796_000_000,
    ...over,
  };
}

const ACTIONS: Action[] = [
  "view_schedule",
  "update_appointment_status",
  "view_patient",
  "edit_patient",
  "merge_patients",
  "book_appointment",
  "work_queues",
  "view_audit",
  "manage_settings",
  "manage_staff",
  "manage_practice",
];

/** A role's access profile as the core answers it: every action, those in `allowed` allowed. */
export function profile(role: Role, allowed: Action[], description = `What a ${role} does.`): AccessProfile {
  return {
    role,
    description,
    actions: ACTIONS.map((action) => ({ action, description: `Sentence for ${action}.`, allowed: allowed.includes(action) })),
  };
}
