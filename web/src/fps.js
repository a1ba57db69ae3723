// The page's frame rate, measured where the user sees it: one
// requestAnimationFrame loop stamps every frame into a fixed ring (no
// allocation per frame). window.__holoanimFps(seconds) gives the frames per
// second over the last `seconds` (2 by default): what the tests print and the
// views' corner shows. A frame that any view spends long drawing delays
// every rAF callback, this one too, so the figure is the page's, whichever
// view draws.

const CAP = 1024; // > 10 s at 60 Hz, > 4 s at 240 Hz
const stamps = new Float64Array(CAP);
let head = 0; // next slot
let count = 0;
let started = false;

function tick(now) {
  stamps[head] = now;
  head = (head + 1) % CAP;
  if (count < CAP) count++;
  requestAnimationFrame(tick);
}

/** Start the loop once (idempotent); does nothing outside a browser. */
export function startFps() {
  if (started || typeof window === 'undefined') return;
  started = true;
  requestAnimationFrame(tick);
  window.__holoanimFps = fps;
}

/** Frames per second over the last `seconds` (0 before two frames). */
export function fps(seconds = 2) {
  if (count < 2) return 0;
  const last = stamps[(head - 1 + CAP) % CAP];
  const from = last - seconds * 1000;
  let first = last;
  let n = 0; // intervals inside the window
  for (let k = 2; k <= count; k++) {
    const t = stamps[(head - k + CAP) % CAP];
    if (t < from) break;
    first = t;
    n++;
  }
  return last > first ? (n * 1000) / (last - first) : 0;
}
