// The fixed choices of the patient forms (registering and editing), value and label.

export const SEXES: [string, string][] = [
  ["unknown", "Not recorded"],
  ["female", "Female"],
  ["male", "Male"],
  ["other", "Other"],
];

/** Whose phone a number is: families often share one mobile. */
export const PHONE_REL: [string, string][] = [
  ["self", "Their own phone"],
  ["spouse", "Spouse's / partner's phone"],
  ["parent", "Parent's phone"],
  ["child", "Child's phone"],
  ["sibling", "Brother's / sister's phone"],
  ["other", "Someone else's phone"],
];

export const CONSENTS = [
  ["consent_sms", "SMS"],
  ["consent_whatsapp", "WhatsApp"],
  ["consent_email", "Email"],
] as const;

export type ConsentKey = (typeof CONSENTS)[number][0];
