// Timing marks (performance.now(), ms since the page began loading), kept on the window so the
// benchmarks can read them through WebDriver. Only the first mark of a name counts.
type Marks = Record<string, number>;
type Samples = Record<string, number[]>;

export function mark(name: string, value: number = performance.now()): void {
  const w = window as unknown as { __frontdeskTimings?: Marks };
  const marks = (w.__frontdeskTimings ??= {});
  if (!(name in marks)) marks[name] = value;
}

/** Adds one measurement (ms) to a series the benchmarks read (`window.__frontdeskSamples`); the
 * last 500 of a series are kept. */
export function sample(series: string, ms: number): void {
  const w = window as unknown as { __frontdeskSamples?: Samples };
  const list = ((w.__frontdeskSamples ??= {})[series] ??= []);
  list.push(ms);
  if (list.length > 500) list.shift();
}

/** Runs `fn` once the next frame has been painted: requestAnimationFrame runs before the frame is
 * painted, and a message posted from it is delivered after the paint. */
export function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      fn();
    };
    ch.port2.postMessage(0);
  });
}
