// The words the staff screens use for roles, actions and an account's state.
import type { Action, Role, StaffMember } from "../../bindings";

/** Every role, in the core's order (`Role::ALL`): the directory's chips and the form's choices. */
export const ROLES: readonly Role[] = ["owner", "admin", "receptionist", "doctor", "reviewer", "operations", "support"];

export const ROLE_LABEL: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  receptionist: "Receptionist",
  doctor: "Doctor",
  reviewer: "Reviewer",
  operations: "Operations",
  support: "Support",
};

/** A short name for each action, shown above the core's sentence for it. */
export const ACTION_LABEL: Record<Action, string> = {
  view_schedule: "See the schedule",
  update_appointment_status: "Move appointments through their status",
  view_patient: "Find and open patients",
  edit_patient: "Register and correct patients",
  merge_patients: "Merge duplicate patients",
  book_appointment: "Book appointments",
  work_queues: "Work callbacks and escalations",
  view_audit: "Read the audit log",
  manage_settings: "Change settings",
  manage_staff: "Manage staff",
  manage_practice: "Set up branches, doctors and services",
  import_patients: "Import patients",
  manage_support_access: "Approve support sessions",
  request_support_access: "Request a support session",
};

export type AccountState = "active" | "deactivated" | "locked" | "must_change_password";

/** What to say about an account, most important first: deactivated, locked, a password to choose. */
export function accountStates(m: StaffMember): AccountState[] {
  const out: AccountState[] = [m.active ? "active" : "deactivated"];
  if (m.locked) out.push("locked");
  if (m.must_change_password) out.push("must_change_password");
  return out;
}

export const STATE_LABEL: Record<AccountState, string> = {
  active: "Active",
  deactivated: "Deactivated",
  locked: "Locked",
  must_change_password: "Must change password",
};

export const STATE_ICON: Record<AccountState, string> = {
  active: "check",
  deactivated: "cancelled",
  locked: "lock",
  must_change_password: "key",
};

/** Two letters for a person's badge. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0][0], words[words.length - 1][0]] : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toUpperCase();
}
