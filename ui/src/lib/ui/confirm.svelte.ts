// A question the core asks before an unusual change ("This appointment is tomorrow. Mark the patient
// arrived anyway?"): one dialog for the whole window, answered yes or no. What asks it is the
// feature's (e.g. `schedule/statusChange.ts`).

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
