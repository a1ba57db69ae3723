'use strict';
// The 3D view in Chromium, from an EMPTY projects folder: a new show, 128
// tracks added with Discover's "Add 128" (a simulated device with 128
// tracks), one group animating all of them, play; the frame rate measured in
// the page (window.__holoanimFps, and each view's own frames with new
// positions) with the 2D views, the 3D view, both, and 3D with the timeline
// open, and PRINTED (never asserted: the machine is shared); only that frames were
// drawn and the sources moved on screen is checked. Then, stopped: click and
// Shift+click select in 3D, and a drag in 3D moves the track's base in the
// saved show, on the horizontal plane at its height; the wheel zooms. Screenshot:
// web/test-results/view-3d.png.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { CLI, RESULTS, sleep, waitFor, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps');

const N = 128;
const skip = browserSkip('discover');

const near = (a, b, tol) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

/**
 * Rates over `seconds`: the page's frames/s (requestAnimationFrame), the
 * frames/s each mounted view drew with new content (2D: frames drawn with new
 * positions; 3D: the 3D view's own frames), and the position frames/s the
 * page received from the server (the most any view can show).
 */
async function rates(page, seconds) {
  const read = (since) => page.evaluate((t0) => ({
    t: performance.now(),
    received: window.__holo.live.received,
    // 2D: stamps of the frames drawn with new positions (a bounded list)
    drawn2d: window.__holo.perf.drawn.filter((x) => x > t0).length,
    frames3d: window.__holo3d ? window.__holo3d.frames() : null,
  }), since);
  const a = await read(Infinity);
  await sleep(seconds * 1000);
  const b = await read(a.t);
  const per = (x, y) => ((y - x) * 1000) / (b.t - a.t);
  return {
    page: await page.evaluate((s) => window.__holoanimFps(s), seconds),
    received: per(a.received, b.received),
    drawn2d: (await page.locator('[data-testid=view-top]').count()) ? per(a.drawn2d, b.drawn2d) : null,
    drawn3d: a.frames3d !== null && b.frames3d !== null ? per(a.frames3d, b.frames3d) : null,
  };
}

const show = (r) => `page ${r.page.toFixed(1)} fps; drawn: ${r.drawn2d === null ? '' : `2D ${r.drawn2d.toFixed(1)}/s `}${r.drawn3d === null ? '' : `3D ${r.drawn3d.toFixed(1)}/s `}of ${r.received.toFixed(1)} position frames/s received`;

test(`3D view: ${N} animated tracks from an empty folder; fps printed for 2D, 3D and both; select and drag in 3D`, { skip, timeout: 300000 }, async (t) => {
  // the device's tracks stand on two rings (Discover reads them)
  const ring = (id) => {
    const a = (2 * Math.PI * id) / N;
    const r = id % 2 ? 6 : 3.5;
    return [+(r * Math.cos(a)).toFixed(3), +(r * Math.sin(a)).toFixed(3), id % 2 ? 1.5 : 3];
  };
  const { sim, device, projectsDir, srv, page, errors } = await startEmpty(t, { name: 'view3d', tracks: N, place: ring, server: { cli: CLI }, consoleErrors: true });

  // a new show, its output the simulated device; Discover's "Add 128"
  await steps.newShow(page, 'big3d');
  await waitFor(() => srv.session.project === 'big3d', 'the new show is open');
  await steps.discover(page, device);
  await waitFor(() => (srv.session.doc.tracks || []).length === N, () => `${N} tracks: ${(srv.session.doc.tracks || []).length}`);

  // one group, every track circling about its own base
  await page.click('[data-testid=tracks] button:has-text("All")');
  await page.waitForFunction((n) => window.__holo.getState().selection.length === n, N);
  await steps.applyAnimation(page, 'circular', { 'param-radius': 0.8, 'timing-duration': 4 }, { mode: 'relative' });
  await waitFor(() => (srv.session.doc.groups || []).length === 1, 'the group');
  assert.equal(srv.session.doc.groups[0].tracks.length, N);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().time > 0.5, 'playing');

  const fps = {};
  // 2D: top and side, the timeline open (as a new page shows it)
  await page.waitForSelector('[data-testid=view-top]');
  await page.waitForSelector('[data-testid=timeline-body]');
  const live1 = () => page.evaluate(() => {
    const l = window.__holo.live;
    const i = l.index.get(1);
    return [l.pos[3 * i], l.pos[3 * i + 1], l.pos[3 * i + 2]];
  });
  const a2 = await page.evaluate((p) => window.__holo.toScreen(0, p), await live1());
  fps['2d'] = await rates(page, 3);
  const b2 = await page.evaluate((p) => window.__holo.toScreen(0, p), await live1());
  assert.ok(!near(a2, b2, 0.5), `track 1 moved in the top view: ${a2} then ${b2}`);
  const drawn2d = await page.evaluate(() => window.__holo.measure(500));
  assert.ok(drawn2d.drawnFps > 0, '2D frames drawn');

  // 3D alone: the 2D canvases are gone (a hidden view draws nothing)
  await page.click('[data-testid=views-3d]');
  await page.waitForSelector('[data-testid=view-3d]');
  assert.equal(await page.locator('[data-testid=view-top]').count(), 0, 'the 2D views are not mounted');
  await page.waitForFunction(() => window.__holo3d && window.__holo3d.frames() > 2);
  const f0 = await page.evaluate(() => window.__holo3d.frames());
  const a3 = await page.evaluate(() => window.__holo3d.screenOf(1));
  fps['3d'] = await rates(page, 3);
  const b3 = await page.evaluate(() => window.__holo3d.screenOf(1));
  const f1 = await page.evaluate(() => window.__holo3d.frames());
  assert.ok(f1 > f0, `3D frames drawn: ${f0} then ${f1}`);
  assert.ok(a3 && b3 && !near(a3, b3, 0.5), `track 1 moved in the 3D view: ${a3} then ${b3}`);
  await page.screenshot({ path: path.join(RESULTS, 'view-3d.png') });

  // both
  await page.click('[data-testid=views-split]');
  await page.waitForSelector('[data-testid=view-top]');
  await page.waitForFunction(() => window.__holo3d && window.__holo3d.frames() > 2);
  fps.split = await rates(page, 3);
  // 3D with the timeline (open until now, its playhead running) closed
  await page.click('[data-testid=views-3d]');
  await page.waitForFunction(() => window.__holo3d && window.__holo3d.frames() > 2);
  await page.click('[data-testid=timeline-toggle]');
  await page.waitForSelector('[data-testid=timeline-body]', { state: 'detached' });
  fps.closed = await rates(page, 3);
  await page.click('[data-testid=timeline-toggle]');
  await page.waitForSelector('[data-testid=timeline-body]');
  for (const [k, what] of [['2d', '2d, timeline open'], ['3d', '3d, timeline open'], ['split', '2d+3d, timeline open'], ['closed', '3d, timeline closed']]) {
    console.log(`fps ${what} ${N} tracks: ${show(fps[k])}`);
    assert.ok(fps[k].page > 0, `${what}: the page drew frames`);
    if (fps[k].drawn2d !== null) assert.ok(fps[k].drawn2d > 0, `${what}: the 2D views drew new positions`);
    if (fps[k].drawn3d !== null) assert.ok(fps[k].drawn3d > 0, `${what}: the 3D view drew new positions`);
  }

  // stopped (sources glide home), 3D alone: select, add, drag
  await page.click('[data-testid=views-3d]');
  await page.click('[data-testid=stop]');
  const doc = srv.session.doc;
  await waitFor(() => doc.tracks.every((x) => near(sim.getTrack(x.id).position, x.position, 1e-3)), 'every source home');
  await page.waitForFunction(() => window.__holo.getState().transport.playing === false);
  // the clicks below land where the page draws the sources: wait until it
  // has every one at its base (the device may have them before the page)
  await steps.drawnAt(page, doc.tracks.map((x) => [x.id, x.position]));
  // and the 3D view has drawn that frame (its loop runs on animation frames)
  await page.waitForFunction(() => window.__holo3d.drawnSeq() === window.__holo.live.seq);
  // zoom in with the wheel (the camera comes closer: sources spread on screen)
  const vb = await page.locator('[data-testid=view-3d]').boundingBox();
  const spread = () => page.evaluate(() => {
    const a = window.__holo3d.screenOf(1);
    const b = window.__holo3d.screenOf(65);
    return a && b ? Math.hypot(a[0] - b[0], a[1] - b[1]) : 0;
  });
  const wide0 = await spread();
  await page.mouse.move(vb.x + vb.width / 2, vb.y + vb.height / 2);
  await page.mouse.wheel(0, -300);
  await waitFor(async () => (await spread()) > wide0 * 1.1, () => `zoomed in: tracks 1 and 65 were ${wide0.toFixed(0)} px apart`);
  // the camera at rest: the same spread in two readings a few frames apart
  let last = -1;
  await waitFor(async () => {
    const now = await spread();
    await sleep(50);
    const again = await spread();
    const still = Math.abs(again - now) < 0.01 && Math.abs(again - last) < 0.01;
    last = again;
    return still;
  }, 'the camera at rest after the zoom');
  // the two sources farthest on screen from any other
  const iso = await page.evaluate((n) => {
    const pts = [];
    for (let id = 1; id <= n; id++) pts.push([id, window.__holo3d.screenOf(id)]);
    const b = document.querySelector('[data-testid=view-3d]').getBoundingClientRect();
    const inside = pts.filter(([, p]) => p && p[0] > b.left + 60 && p[0] < b.right - 120 && p[1] > b.top + 60 && p[1] < b.bottom - 60);
    const gap = ([id, p]) => Math.min(...pts.filter(([j, q]) => j !== id && q).map(([, q]) => Math.hypot(q[0] - p[0], q[1] - p[1])));
    return inside.map((x) => [x[0], x[1], gap(x)]).sort((x, y) => y[2] - x[2]).slice(0, 2);
  }, N);
  assert.equal(iso.length, 2, 'two sources on screen');
  const [[idA, pA, gapA], [idB, pB]] = iso;
  assert.ok(gapA > 10, `track ${idA} stands alone on screen (${gapA.toFixed(1)} px from the next)`);
  await page.mouse.click(pA[0], pA[1]);
  await page.waitForFunction((id) => JSON.stringify(window.__holo.getState().selection) === JSON.stringify([id]), idA);
  await page.keyboard.down('Shift');
  await page.mouse.click(pB[0], pB[1]);
  await page.keyboard.up('Shift');
  await page.waitForFunction(([a, b]) => {
    const s = window.__holo.getState().selection;
    return s.length === 2 && s.includes(a) && s.includes(b);
  }, [idA, idB]);
  // a click on empty floor clears the selection (no camera move)
  const box = await page.locator('[data-testid=view-3d]').boundingBox();
  await page.mouse.click(box.x + 12, box.y + box.height - 12);
  await page.waitForFunction(() => window.__holo.getState().selection.length === 0);

  const before = srv.session.doc.tracks.find((x) => x.id === idA).position;
  await page.mouse.move(pA[0], pA[1]);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(pA[0] + 5 * k, pA[1] + 4 * k);
  await page.mouse.up();
  const file = path.join(projectsDir, 'big3d.json');
  const saved = () => JSON.parse(fs.readFileSync(file, 'utf8')).tracks.find((x) => x.id === idA).position;
  await waitFor(() => !near(saved(), before, 0.05), () => `track ${idA}'s base moved in the saved show: ${saved()} (was ${before})`);
  const after = saved();
  assert.ok(Math.abs(after[2] - before[2]) < 0.006, `dragged on the plane at its height: z ${before[2]} → ${after[2]}`);
  assert.ok(Math.hypot(after[0] - before[0], after[1] - before[1]) > 0.1, `moved in x/y: ${before} → ${after}`);
  assert.deepEqual(await page.evaluate(() => window.__holo.getState().selection), [idA], 'the dragged source is selected');
  // the device follows the new base
  await waitFor(() => near(sim.getTrack(idA).position, after, 1e-3), () => `the device has track ${idA} at ${after}: ${sim.getTrack(idA).position}`);
  // back to 2D: the 3D view is gone (nothing of it draws)
  await page.click('[data-testid=views-2d]');
  await page.waitForSelector('[data-testid=view-top]');
  assert.equal(await page.evaluate(() => window.__holo3d === undefined && !document.querySelector('[data-testid=view-3d]')), true, 'the 3D view is not mounted in 2D');
  assert.deepEqual(errors, [], 'no error in the page');
});
