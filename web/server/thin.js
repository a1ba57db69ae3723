'use strict';
// Thinning a recorded gesture: Ramer–Douglas–Peucker in space-time. A
// sample is dropped only if the straight line between the kept samples
// around it, read at the sample's own time, passes within `tolerance`
// metres of where the sample was (the synchronized distance: a keyframes
// animation with linear interpolation through the kept samples then plays
// every recorded sample within the tolerance, at its time). Pure, no engine.

/** Where the segment a → b (each {t, p: [x, y, z]}) is at time t. */
function at(a, b, t) {
  const span = b.t - a.t;
  const u = span > 0 ? (t - a.t) / span : 0;
  return [0, 1, 2].map((k) => a.p[k] + u * (b.p[k] - a.p[k]));
}

function gap(p, q) {
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/**
 * The samples to keep from `samples` ([{t, p}...], time increasing): always
 * the first and the last; returns a new array of the kept samples. An
 * explicit stack, not recursion (a long take has thousands of samples).
 */
function thin(samples, tolerance = 0.01) {
  const n = samples.length;
  if (n <= 2) return samples.slice();
  if (!(tolerance >= 0)) throw new RangeError(`tolerance ${tolerance}: metres >= 0`);
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack = [[0, n - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let worst = -1;
    let far = tolerance;
    for (let k = i + 1; k < j; k++) {
      const d = gap(samples[k].p, at(samples[i], samples[j], samples[k].t));
      if (d > far) {
        far = d;
        worst = k;
      }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([i, worst], [worst, j]);
    }
  }
  return samples.filter((_, k) => keep[k]);
}

/** The largest synchronized distance from `samples` to the polyline through `kept` (both time-ordered). */
function maxError(samples, kept) {
  let worst = 0;
  let j = 0;
  for (const s of samples) {
    while (j + 2 < kept.length && kept[j + 1].t < s.t) j++;
    const a = kept[j];
    const b = kept[Math.min(j + 1, kept.length - 1)];
    const p = s.t <= a.t ? a.p : s.t >= b.t ? b.p : at(a, b, s.t);
    worst = Math.max(worst, gap(s.p, p));
  }
  return worst;
}

module.exports = { thin, maxError };
