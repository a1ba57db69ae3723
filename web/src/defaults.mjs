// A new animation's defaults from the selection (AnimationEditor; tested in
// test/newuser.test.js without a browser).

const r3 = (v, n = 3) => Math.round(v * 10 ** n) / 10 ** n;

/**
 * A new animation's defaults from the selected tracks' bases, for the
 * parameters the user has not typed (`touched`): the centre is the
 * selection's centroid at its mean height (never the floor under sources
 * standing at 1.5 m); with `fromHere`, a model with a start angle in the xy
 * plane starts where the first selected source stands (startAngle and
 * radius about that centre; one source alone: the circle's centre is put so
 * that it passes through the source).
 */
export function selectionDefaults(model, bases, params, touched, fromHere) {
  const out = {};
  if (!model || bases.length === 0) return out;
  const info = new Map(model.parameters.map((p) => [p.name, p]));
  const val = (k) => (params[k] !== undefined ? params[k] : info.get(k) && info.get(k).default);
  const free = (k) => info.has(k) && !touched.has(k);
  const centroid = [0, 1, 2].map((k) => r3(bases.reduce((sum, b) => sum + b[k], 0) / bases.length));
  if (free('center')) out.center = centroid;
  const centre = out.center || val('center');
  if (!fromHere || (val('plane') || 'xy') !== 'xy' || !info.has('startAngle') || !Array.isArray(centre)) return out;
  const b = bases[0];
  const dist = Math.hypot(b[0] - centre[0], b[1] - centre[1]);
  if (dist > 0.05) {
    if (free('startAngle')) out.startAngle = r3((Math.atan2(b[1] - centre[1], b[0] - centre[0]) * 180) / Math.PI, 2);
    if (free('radius')) out.radius = r3(dist);
  } else if (free('center') && typeof val('radius') === 'number') {
    const a = ((val('startAngle') || 0) * Math.PI) / 180;
    out.center = [r3(b[0] - val('radius') * Math.cos(a)), r3(b[1] - val('radius') * Math.sin(a)), b[2]];
  }
  return out;
}
