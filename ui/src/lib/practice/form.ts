// The practice forms' refusal helper now lives in `ui/form.ts`, shared with the staff forms.
export { refusal } from "../ui/form";
