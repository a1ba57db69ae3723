'use strict';
// The Timeline panel in Chromium, from an EMPTY projects folder: a new show
// with the simulated device as its output, two tracks, a group (autoStart
// off: only the timeline plays it), a clip of it added in the panel and
// moved by dragging; then the device's positions are checked against
// `holoanim eval` of the saved show (within 1 mm) before the moved clip
// (the sources rest at their bases) and inside it (they follow the path),
// after a seek. Screenshot: web/test-results/timeline.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { CLI, RESULTS, waitFor, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps');

const skip = browserSkip('eval');

/** `holoanim eval FILE` at time T: track id → [x, y, z]. */
function evalAt(file, T) {
  const out = JSON.parse(execFileSync(CLI, ['eval', file, '--from', String(T), '--to', String(T), '--rate', '1000', '--format', 'json'], { encoding: 'utf8' }));
  return new Map(out.samples.map((r) => [r.track, [r.x, r.y, r.z]]));
}

const near = (a, b, tol) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

test('timeline: empty folder → show → group → clip added and dragged → the device follows holoanim eval', { skip, timeout: 240000 }, async (t) => {
  const viewport = (page) => page.setViewportSize({ width: 1400, height: 900 });
  const { sim, projectsDir, srv, page, errors } = await startEmpty(t, { name: 'timeline', tracks: 2, server: { cli: CLI }, beforeLoad: viewport });

  // a new show, its output the simulated device; two tracks
  await steps.newShow(page, 'timeline');
  await waitFor(() => srv.session.project === 'timeline', 'the new show is open');
  await steps.addTracks(page, 2);
  await waitFor(() => (srv.session.doc.tracks || []).length === 2, 'tracks 1 and 2 added');
  await steps.setBase(page, 1, [3, 0, 1.5]);
  await steps.setBase(page, 2, [0, 3, 1.5]);
  await waitFor(() => JSON.stringify(srv.session.doc.tracks[1].position) === '[0,3,1.5]', 'positions typed');

  // a group on both, circular, autoStart off (the timeline plays it)
  await steps.selectTracks(page, [1, 2]);
  await steps.applyAnimation(page, 'circular', { 'param-radius': 1, 'timing-duration': 4 }, { mode: 'relative', autoStart: false });
  await waitFor(() => (srv.session.doc.groups || []).length === 1, 'the group');
  const group = srv.session.doc.groups[0].name;
  assert.equal(srv.session.doc.groups[0].autoStart, false);

  // the timeline: a clip of the group at the playhead (0), then dragged 4 s right
  await page.waitForSelector('[data-testid=timeline]');
  await page.click(`[data-testid="timeline-add-${group}"]`);
  await waitFor(() => srv.session.doc.timeline && srv.session.doc.timeline.clips.length === 1, 'a clip');
  assert.deepEqual(srv.session.doc.timeline.clips[0], { group, start: 0, duration: 10 });
  const clip = page.locator('[data-testid=timeline-clip-0]');
  const box = await clip.boundingBox();
  const pps = 20; // the panel's default zoom
  await page.mouse.move(box.x + 30, box.y + box.height / 2);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(box.x + 30 + (k * 4 * pps) / 8, box.y + box.height / 2);
  await page.mouse.up();
  await waitFor(() => Math.abs(srv.session.doc.timeline.clips[0].start - 4) < 0.06, () => `moved to 4 s: ${JSON.stringify(srv.session.doc.timeline.clips[0])}`);
  const start = srv.session.doc.timeline.clips[0].start;
  await page.click('[data-testid=save]');
  await waitFor(() => srv.session.state().savedVersion === srv.session.state().version, 'saved');
  const file = path.join(projectsDir, 'timeline.json');

  // play: before the clip the sources rest; inside it they orbit, as eval says
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().time > start + 1.5, 'playing into the clip', 30000);
  await steps.transportShown(page, true); // the button pauses once the page shows it playing
  await page.click('[data-testid=play]'); // pause
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  await page.screenshot({ path: path.join(RESULTS, 'timeline.png') });
  for (const T of [start + 1.25, 2, start + 3.5]) {
    srv.runtime.seek(T);
    await waitFor(() => Math.abs(srv.runtime.player.getStatus().time - T) < 1e-9, `at ${T} s`);
    const want = evalAt(file, T);
    for (const id of [1, 2]) {
      const w = want.get(id);
      await waitFor(() => near(sim.getTrack(id).position, w, 1e-3), () => `track ${id} at ${T} s: device ${sim.getTrack(id).position}, holoanim eval ${w}`);
    }
  }
  // the clip moved the motion: at 2 s (before it) track 1 rests at its base
  assert.ok(near(evalAt(file, 2).get(1), [3, 0, 1.5], 1e-9));
  assert.ok(!near(evalAt(file, start + 1.25).get(1), [3, 0, 1.5], 0.1));
  // the playhead follows the transport
  // (the page draws it from the next frame it receives: wait for it)
  const playhead = () => page.getAttribute('[data-testid=timeline-playhead]', 'data-time').then(Number);
  let shown = NaN;
  await waitFor(async () => Math.abs((shown = await playhead()) - (start + 3.5)) < 0.05, () => `playhead at ${shown}, transport at ${start + 3.5}`, 30000, 50);
  assert.deepEqual(errors, []);
});
