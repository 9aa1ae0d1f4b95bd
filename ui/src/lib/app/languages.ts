// The languages the desk can record as a patient's preference, by code. The clinic picks the ones
// it serves in Settings; the patient form lists those first.

export const LANGUAGES: [string, string][] = [
  ["en", "English"],
  ["fr", "French"],
  ["hi", "Hindi"],
  ["pa", "Punjabi"],
  ["ta", "Tamil"],
  ["te", "Telugu"],
  ["kn", "Kannada"],
  ["ml", "Malayalam"],
  ["bn", "Bengali"],
  ["gu", "Gujarati"],
  ["mr", "Marathi"],
  ["ur", "Urdu"],
  ["zh", "Chinese"],
  ["es", "Spanish"],
  ["ar", "Arabic"],
  ["tl", "Tagalog"],
];

export function languageName(code: string): string {
  return LANGUAGES.find(([c]) => c === code)?.[1] ?? code;
}

/** The clinic's languages (in its order), then every other one. */
export function languagesFor(clinic: string[]): { served: [string, string][]; others: [string, string][] } {
  return {
    served: clinic.map((c) => [c, languageName(c)] as [string, string]),
    others: LANGUAGES.filter(([c]) => !clinic.includes(c)),
  };
}
