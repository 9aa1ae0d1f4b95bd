// Start-up timing marks (performance.now(), ms since the page began loading), kept on the window
// so the start-up benchmark can read them through WebDriver. Only the first mark of a name counts.
type Marks = Record<string, number>;

export function mark(name: string): void {
  const w = window as unknown as { __frontdeskTimings?: Marks };
  const marks = (w.__frontdeskTimings ??= {});
  if (!(name in marks)) marks[name] = performance.now();
}
