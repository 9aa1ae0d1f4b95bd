// The staff screen's state: the directory (reloaded when anyone's account changes), what is
// filtered and selected, and each role's access profile (read once per visit: the permission
// table changes only with the app).
import { accessProfile, staffDirectory, type AccessProfile, type Role, type StaffDirectory } from "../../bindings";
import { call, isAuthError, onCoreEvent, toApiError } from "../app/api";
import { onReset } from "../app/state.svelte";
import { ROLES } from "./roles";

export const staffView = $state({
  data: null as StaffDirectory | null,
  error: "",
  /** The first load is taking long enough to say so (a fast one never flashes "Loading…"). */
  slow: false,
  /** The role chip pressed: only that role's people are listed. */
  role: null as Role | null,
  /** Typed into the list's filter: a name, username or email. */
  query: "",
  /** The person whose access profile is shown. */
  selectedId: null as number | null,
  profiles: {} as Partial<Record<Role, AccessProfile>>,
  profileError: "",
});

let seq = 0;

export async function loadStaff(): Promise<void> {
  const my = ++seq;
  const timer = setTimeout(() => {
    if (my === seq && !staffView.data) staffView.slow = true;
  }, 200);
  try {
    const d = await call(staffDirectory());
    if (my !== seq) return;
    staffView.data = d;
    staffView.error = "";
  } catch (raw) {
    const e = toApiError(raw);
    if (my === seq && !isAuthError(e)) staffView.error = e.message;
  } finally {
    clearTimeout(timer);
    if (my === seq) staffView.slow = false;
  }
}

/** Every role's profile (the form's role descriptions, the permission preview). */
export async function loadProfiles(): Promise<void> {
  try {
    const all = await Promise.all(ROLES.map((role) => call(accessProfile({ role }))));
    staffView.profiles = Object.fromEntries(all.map((p) => [p.role, p]));
    staffView.profileError = "";
  } catch (raw) {
    const e = toApiError(raw);
    if (!isAuthError(e)) staffView.profileError = e.message;
  }
}

/** Keeps the directory current while the staff screen is open. Returns the unsubscribe. */
export function followStaff(): () => void {
  return onCoreEvent((e) => {
    // Doctor names come from the practice.
    if (e.kind === "staff_changed" || e.kind === "practice_changed") void loadStaff();
  });
}

// Who works here is one person's view of the clinic: it goes when they sign out.
onReset(() => {
  seq++;
  staffView.data = null;
  staffView.error = "";
  staffView.slow = false;
  staffView.role = null;
  staffView.query = "";
  staffView.selectedId = null;
  staffView.profiles = {};
  staffView.profileError = "";
});
