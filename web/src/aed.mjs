// Positions in aed (azimuth °, elevation °, distance m) about the origin, the
// Holophonix convention (/track/N/aed, /work/shared/PROTOCOL.md): azimuth 0
// is the front (+Y), +90 the right (+X), clockwise seen from above;
// elevation + is up. Plain JavaScript: presets, the track editor and the
// arrange tools use it; test/arrange-unit.test.js checks it.

const DEG = 180 / Math.PI;
const round = (v, n = 3) => Math.round(v * 10 ** n) / 10 ** n;

/** [x, y, z] m → [azimuth °, elevation °, distance m] (0.01° and 1 mm). */
export function toAed([x, y, z]) {
  return [round(Math.atan2(x, y) * DEG, 2), round(Math.atan2(z, Math.hypot(x, y)) * DEG, 2), round(Math.hypot(x, y, z))];
}

/** [azimuth °, elevation °, distance m] → [x, y, z] m (1 mm). */
export function fromAed([a, e, d]) {
  const ar = a / DEG;
  const er = e / DEG;
  return [round(d * Math.cos(er) * Math.sin(ar)), round(d * Math.cos(er) * Math.cos(ar)), round(d * Math.sin(er))];
}
