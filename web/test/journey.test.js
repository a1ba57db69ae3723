'use strict';
// A new user's journey in Chromium, from an EMPTY projects folder (never the
// demo): a new show with the simulated device as its output, tracks added
// with "+ Add" and Discover's "Add N", two groups (one relative with spread
// phases), Stop returning home, Stop holding then Play three times with the
// device's positions checked against `holoanim eval` of the saved show,
// cues fired while stopped, a preset captured and recalled. Screenshots:
// web/test-results/journey-NN-what.png.
// The tracks are arranged on a circle (Arrange tab); play, speed, pause and
// seek go through the transport; a live edit and a refused value through the
// editor; a timeline clip is moved and the device follows `holoanim eval`;
// the 3D view is shown; the page is reloaded.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, CLI, RESULTS, sleep, waitFor, browserSkip, startEmpty, pageHasShow } = require('./helpers');
const steps = require('./steps');

const skip = browserSkip('discover, eval');

/** `holoanim eval FILE` at time T: track id → [x, y, z]. */
function evalAt(file, T) {
  const out = JSON.parse(execFileSync(CLI, ['eval', file, '--from', String(T), '--to', String(T), '--format', 'json'], { encoding: 'utf8' }));
  return new Map(out.samples.map((r) => [r.track, [r.x, r.y, r.z]]));
}

const near = (a, b, tol) => a.every((v, k) => Math.abs(v - b[k]) <= tol);

test('journey: empty folder → new show → tracks → groups → Stop home / hold → 3 × Play matches holoanim eval', { skip, timeout: 300000 }, async (t) => {
  // the device's tracks 3..8 stand on a ring (Discover reads them)
  const ring = (id) => {
    const a = (2 * Math.PI * id) / 8;
    return id >= 3 ? [+(4 * Math.cos(a)).toFixed(3), +(4 * Math.sin(a)).toFixed(3), 1.5] : null;
  };
  const { sim, device, projectsDir, srv, page, errors } = await startEmpty(t, { name: 'journey', tracks: 8, place: ring, server: { cli: CLI }, consoleErrors: true });
  const shot = (name) => page.screenshot({ path: path.join(RESULTS, `journey-${name}.png`) });
  await shot('01-empty');

  // 1. a new show, its output the simulated device
  await steps.newShow(page, 'journey', { beforeCreate: () => shot('02-new-show-form') });
  await waitFor(() => srv.session.project === 'journey', 'the new show is open');
  assert.deepEqual(srv.session.doc.outputs.map((o) => `${o.host}:${o.port}`), [device]);

  // "+ Add" twice, then Discover's "Add 6"
  await steps.addTracks(page, 2);
  await waitFor(() => (srv.session.doc.tracks || []).length === 2, 'tracks 1 and 2 added');
  await steps.setBase(page, 1, [4, 0, 1.5]);
  await steps.setBase(page, 2, [2.828, 2.828, 1.5]);
  await waitFor(() => JSON.stringify(srv.session.doc.tracks[1].position) === '[2.828,2.828,1.5]', 'track 2 typed');
  await steps.discover(page, device);
  await waitFor(() => srv.session.doc.tracks.length === 8, () => `8 tracks: ${srv.session.doc.tracks.length}`);
  await waitFor(() => near(sim.getTrack(1).position, [4, 0, 1.5], 1e-3), 'positions reach the device');
  await shot('03-tracks');

  // arrange the 8 on a circle of 4 m at 1.5 m (Arrange tab: one edit)
  await steps.selectTracks(page, [1, 2, 3, 4, 5, 6, 7, 8]);
  await steps.arrangeCircle(page, { cx: 0, cy: 0, radius: 4, height: 1.5 });
  await waitFor(() => srv.session.doc.tracks.every((x) => Math.abs(Math.hypot(x.position[0], x.position[1]) - 4) < 2e-3 && Math.abs(x.position[2] - 1.5) < 1e-9),
    () => `on the circle: ${JSON.stringify(srv.session.doc.tracks.map((x) => x.position))}`);
  for (const tr of srv.session.doc.tracks) {
    await waitFor(() => near(sim.getTrack(tr.id).position, tr.position, 1e-3), () => `track ${tr.id} arranged on the device`);
  }
  await shot('04-arranged-circle');
  await steps.openTab(page, 'editor');

  // 2. two groups: tracks 1-3 relative with spread phases, 4-8 isobarycentric
  await steps.selectTracks(page, [1, 2, 3]);
  await steps.applyAnimation(page, 'circular', { 'param-radius': 1, 'timing-duration': 3 }, { mode: 'relative', phaseSpread: true });
  await waitFor(() => (srv.session.doc.groups || []).length === 1, 'group 1');
  await page.selectOption('[data-testid=editor-target]', 'new');
  await steps.selectTracks(page, [4, 5, 6, 7, 8]);
  await steps.applyAnimation(page, 'circular', { 'param-radius': 1.5, 'timing-duration': 4 }, { mode: 'isobarycentric' });
  await waitFor(() => srv.session.doc.groups.length === 2, 'group 2');
  const g0 = srv.session.doc.groups[0];
  assert.equal(g0.mode, 'relative');
  assert.equal(g0.phaseSpread, true);

  // 3. Stop: by default every source glides home (the menu beside ■ says so)
  const bases = new Map(srv.session.doc.tracks.map((x) => [x.id, x.position]));
  const allHome = () => [...bases].every(([id, b]) => near(sim.getTrack(id).position, b, 1e-3));
  assert.match(await page.textContent('[data-testid=stop-mode] option:checked'), /returns home over 2 s/);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().time > 1.5, 'playing');
  await shot('05-playing');
  assert.ok(!allHome(), 'the sources moved');
  // speed 2, pause, seek to 1 s with the transport's slider, speed back to 1
  await steps.typeInto(page, 'speed', 2);
  await waitFor(() => srv.runtime.transport().speed === 2, 'speed 2');
  // (the play button pauses when the page shows the transport playing, plays
  // otherwise: before each press, the page has what the server has)
  await steps.transportShown(page, true);
  await page.click('[data-testid=play]'); // pause
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  await page.locator('[data-testid=seek]').fill('1');
  await waitFor(() => srv.runtime.player.getStatus().time === 1, () => `seeked to 1 s: ${srv.runtime.player.getStatus().time}`);
  await shot('06-paused-seeked-speed-2');
  // the field commits only a value that differs from what the page shows:
  // speed 2 there before typing 1
  await page.waitForFunction(() => window.__holo.getState().transport.speed === 2);
  await steps.typeInto(page, 'speed', 1);
  await waitFor(() => srv.runtime.transport().speed === 1, 'speed 1');
  await page.click('[data-testid=stop]');
  await waitFor(allHome, () => `every source home: track 1 at ${sim.getTrack(1).position}`);
  await shot('07-stopped-home');

  // hold, then Stop → Play three times
  await page.selectOption('[data-testid=stop-mode]', 'hold');
  await waitFor(() => srv.session.settings.stop.mode === 'hold', 'hold is the default now');
  for (let cycle = 0; cycle < 3; cycle++) {
    await steps.transportShown(page, false);
    await page.click('[data-testid=play]');
    await waitFor(() => srv.runtime.transport().playing && srv.runtime.player.getStatus().time < 0.5, 'from 0');
    const until = 0.8 + 0.5 * cycle;
    await waitFor(() => srv.runtime.player.getStatus().time > until, `cycle ${cycle}`);
    await page.keyboard.press('Escape'); // Stop
    await waitFor(() => !srv.runtime.player.getStatus().playing, 'stopped');
    if (cycle === 0) {
      assert.ok(!allHome(), 'held where they stopped');
      await shot('08-stopped-hold');
    }
  }
  await steps.transportShown(page, false);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().time > 2.5, 'past the glide onto the show');
  await steps.transportShown(page, true);
  await page.click('[data-testid=play]'); // pause
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  const T = 3;
  srv.runtime.seek(T);
  await waitFor(() => srv.runtime.player.getStatus().time === T, 'at 3 s');
  await page.click('[data-testid=save]');
  await waitFor(() => srv.session.state().savedVersion === srv.session.state().version, 'saved');
  const want = evalAt(path.join(projectsDir, 'journey.json'), T);
  assert.equal(want.size, 8);
  for (const [id, w] of want) {
    await waitFor(() => near(sim.getTrack(id).position, w, 1e-3), () => `track ${id} at ${T} s: device ${sim.getTrack(id).position}, holoanim eval ${w}`);
  }
  await sleep(300);
  await shot('09-three-cycles-match-eval');

  // a live edit while playing: the first group's radius 1 → 2 m (track 1
  // circles its own place: two of its positions more than 2.5 m apart can
  // only come from the wider circle), and a refused value shows the engine's
  // whole message at the field
  await steps.transportShown(page, false);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().playing, 'playing again');
  await page.selectOption('[data-testid=editor-target]', g0.name);
  await steps.typeInto(page, 'param-radius', 2);
  await waitFor(() => srv.session.doc.animations.find((a) => a.name === g0.animation).parameters.radius === 2, 'radius 2 in the show');
  const seen = [];
  await waitFor(() => {
    const q = sim.getTrack(1).position;
    seen.push(q);
    return seen.some((a) => Math.hypot(a[0] - q[0], a[1] - q[1], a[2] - q[2]) > 2.5);
  }, () => `track 1 on the wider circle (${seen.length} positions seen)`);
  await steps.transportShown(page, true);
  await page.click('[data-testid=play]'); // pause
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  const ai = srv.session.doc.animations.findIndex((a) => a.name === g0.animation);
  // the field refuses only a value made on the show the page has: radius 2 there
  // (an edit on the older show is refused as a conflict, not by the engine)
  await pageHasShow(page, srv);
  await steps.typeInto(page, 'param-radius', -1);
  const msg = await page.waitForSelector('[data-testid=param-radius-error]');
  assert.equal(await msg.textContent(), `animations[${ai}].parameters.radius: -1 is below the minimum 0`);
  assert.equal(srv.session.doc.animations[ai].parameters.radius, 2, 'the refused value changed nothing');
  await shot('10-live-edit-refused');

  // 5. a preset of tracks 1 and 2 where they stand, edited in aed, recalled, in a cue
  await page.click('[data-testid=tab-presets]');
  await steps.selectTracks(page, [1, 2]);
  await page.fill('[data-testid=preset-name]', 'front');
  await page.click('[data-testid=capture-selected]');
  await waitFor(() => (srv.session.doc.presets || []).length === 1, 'preset captured');
  const pf = srv.session.doc.presets[0];
  assert.deepEqual(Object.keys(pf.positions), ['1', '2']);
  assert.ok(near(pf.positions['1'], sim.getTrack(1).position, 2e-3), 'where track 1 stands');
  await page.click('[data-testid=preset-front] button.icon');
  await page.selectOption('[data-testid=preset-front-space]', 'aed');
  await page.fill('[data-testid=preset-front-1-2]', '6');
  await page.press('[data-testid=preset-front-1-2]', 'Enter');
  await waitFor(() => Math.abs(Math.hypot(...srv.session.doc.presets[0].positions['1']) - 6) < 2e-3, 'track 1 at 6 m in the preset');
  await shot('11-preset-aed');
  const front = srv.session.doc.presets[0].positions;
  await page.selectOption('[data-testid=stop-mode]', '0'); // Stop: home at once
  await page.click('[data-testid=stop]');
  await waitFor(allHome, 'home');
  await page.click('[data-testid=recall-front]');
  await waitFor(() => near(sim.getTrack(1).position, front['1'], 1e-3) && near(sim.getTrack(2).position, front['2'], 1e-3),
    () => `recalled: track 1 at ${sim.getTrack(1).position}, preset ${front['1']}`);
  await shot('12-preset-recalled');

  // 4. cues: one recalls the preset, one starts a group; GO while stopped runs each
  // (each edit below adds to the show: the page has the one before it first,
  // else the server refuses it as a conflict)
  await pageHasShow(page, srv);
  await page.click('[data-testid=preset-cue-front]');
  await waitFor(() => (srv.session.doc.cues || []).length === 1, 'a preset cue');
  await page.click('[data-testid=tab-cues]');
  await page.selectOption('[data-testid=cue-action]', `start:${g0.name}`);
  await pageHasShow(page, srv);
  await page.click('[data-testid=add-cue]');
  await waitFor(() => srv.session.doc.cues.length === 2, 'a group cue');
  await page.click('[data-testid=stop]');
  await waitFor(allHome, 'home');
  await page.click('[data-testid=go-1]');
  await waitFor(() => near(sim.getTrack(1).position, front['1'], 1e-3), () => `GO 1 while stopped: track 1 at ${sim.getTrack(1).position}`);
  await page.click('[data-testid=stop]');
  await waitFor(allHome, 'home');
  await page.click('[data-testid=go-2]');
  await waitFor(() => srv.runtime.transport().playing, 'GO 2 while stopped starts the transport');
  const p3 = sim.getTrack(3).position;
  await waitFor(() => !near(sim.getTrack(3).position, p3, 0.2), () => `track 3 keeps moving: ${p3} then ${sim.getTrack(3).position}`);
  await shot('13-cue-go-while-stopped');

  // the timeline: the second group stops starting with Play; a clip of it is
  // added at 0 and dragged 4 s right; played, paused, seeked by a click on the
  // ruler: the device is where `holoanim eval` of the saved show puts it
  await page.click('[data-testid=stop]');
  await waitFor(allHome, 'home');
  const g1 = srv.session.doc.groups[1];
  await steps.openTab(page, 'editor');
  await page.selectOption('[data-testid=editor-target]', g1.name);
  await steps.setAutoStart(page, false);
  await waitFor(() => srv.session.doc.groups[1].autoStart === false, 'the second group waits for its clip');
  await pageHasShow(page, srv); // the clip's edit (the show's first timeline) made on the show with autoStart off
  await page.click(`[data-testid="timeline-add-${g1.name}"]`);
  await waitFor(() => srv.session.doc.timeline && srv.session.doc.timeline.clips.length === 1, 'a clip');
  const clip0 = srv.session.doc.timeline.clips[0].start; // at the playhead
  const clipBox = await page.locator('[data-testid=timeline-clip-0]').boundingBox();
  const pps = 20; // the panel's default zoom, pixels per second
  await page.mouse.move(clipBox.x + 30, clipBox.y + clipBox.height / 2);
  await page.mouse.down();
  for (let k = 1; k <= 8; k++) await page.mouse.move(clipBox.x + 30 + (k * 4 * pps) / 8, clipBox.y + clipBox.height / 2);
  await page.mouse.up();
  await waitFor(() => Math.abs(srv.session.doc.timeline.clips[0].start - clip0 - 4) < 0.06, () => `moved 4 s later: ${JSON.stringify(srv.session.doc.timeline.clips[0])}`);
  const clipStart = srv.session.doc.timeline.clips[0].start;
  await page.click('[data-testid=save]');
  await waitFor(() => srv.session.state().savedVersion === srv.session.state().version, 'saved');
  await steps.transportShown(page, false);
  await page.click('[data-testid=play]');
  await waitFor(() => srv.runtime.player.getStatus().time > clipStart + 1.5, 'playing into the clip');
  await steps.transportShown(page, true);
  await page.click('[data-testid=play]'); // pause
  await waitFor(() => !srv.runtime.player.getStatus().playing, 'paused');
  const ruler = await page.locator('[data-testid=timeline-ruler]').boundingBox();
  await page.mouse.click(ruler.x + (clipStart + 2.5) * pps, ruler.y + ruler.height / 2);
  await waitFor(() => Math.abs(srv.runtime.player.getStatus().time - (clipStart + 2.5)) < 0.2, () => `seeked by the ruler: ${srv.runtime.player.getStatus().time}`);
  const Tc = srv.runtime.player.getStatus().time;
  const wantc = evalAt(path.join(projectsDir, 'journey.json'), Tc);
  for (const [id, w] of wantc) {
    await waitFor(() => near(sim.getTrack(id).position, w, 1e-3), () => `track ${id} at ${Tc} s: device ${sim.getTrack(id).position}, holoanim eval ${w}`);
  }
  assert.ok(!near(wantc.get(5), srv.session.doc.tracks[4].position, 0.05), 'the clip moves track 5');
  await shot('14-timeline-clip-moved');

  // the 3D view draws the show
  await page.click('[data-testid=views-3d]');
  await page.waitForFunction(() => window.__holoanimFps && window.__holoanimFps(1) > 0);
  await sleep(500);
  await shot('15-view-3d');
  await page.click('[data-testid=views-2d]');

  // saved, the page reloaded: the same show, its clip and groups
  await page.click('[data-testid=save]');
  await waitFor(() => srv.session.state().savedVersion === srv.session.state().version, 'saved');
  await page.reload();
  await page.waitForSelector('[data-testid=track-8]');
  await page.waitForSelector('[data-testid=timeline-clip-0]');
  const doc = await steps.pageDoc(page);
  assert.equal(doc.tracks.length, 8);
  assert.deepEqual(doc.timeline.clips, srv.session.doc.timeline.clips);
  assert.deepEqual(doc.groups.map((g) => g.name), srv.session.doc.groups.map((g) => g.name));
  await shot('16-reloaded');

  // 8. Save as: the copy is titled by its name, the menu closes
  page.once('dialog', (d) => d.accept('journey copy'));
  await page.click('[data-testid=projects]');
  await page.click('[data-testid=save-as]');
  await waitFor(() => srv.session.project === 'journey copy', 'saved as');
  await page.waitForSelector('.dropdown', { state: 'detached' });
  await page.waitForFunction(() => document.querySelector('input.showname').value === 'journey copy');
  // Import takes .hpx only: a .json is refused in the page, an .hpx imports
  await page.click('[data-testid=projects]');
  await page.setInputFiles('[data-testid=import-file]', path.join(ROOT, 'examples', 'cue-scene.json'));
  await page.waitForSelector('.toast.error');
  assert.ok(!fs.existsSync(path.join(projectsDir, 'cue-scene.json')), 'nothing imported');
  // ../shared/conformance/hpx beside the repository (a worktree is one level deeper), else the fixture
  const hpx = [path.join(ROOT, '..', 'shared'), path.join(ROOT, '..', '..', 'shared')]
    .map((d) => path.join(d, 'conformance', 'hpx', 'v23-02-circular.hpx'))
    .concat(path.join(ROOT, 'tests', 'fixtures', 'hpx', 'project-v2.3.hpx'))
    .find((f) => fs.existsSync(f));
  await page.setInputFiles('[data-testid=import-file]', hpx);
  const imported = path.basename(hpx, '.hpx');
  await waitFor(() => srv.session.project === imported, () => `imported ${imported}: ${srv.session.project}`);
  // the menu closes when the import's reply reaches the page: a click on
  // the Projects button before that closes it (a toggle), then the reply
  await page.waitForSelector('.dropdown', { state: 'detached' });
  assert.ok(srv.session.doc.tracks.length > 0);
  await shot('17-imported-hpx');
  // Open lists the bundled examples: one opens as a copy
  await page.click('[data-testid=projects]');
  await page.click('[data-testid=example-orbiting-quartet]');
  await waitFor(() => srv.session.project === 'orbiting-quartet', 'the example opened');
  await page.waitForSelector('.dropdown', { state: 'detached' });
  await shot('18-example-opened');
  assert.deepEqual(errors, [], 'no error in the browser console');
});

test('every refused value shows the engine\'s whole message where it was typed (speed, an existing group\'s field, a base position, a new animation)', { skip, timeout: 120000 }, async (t) => {
  // from an empty folder: a new show, two tracks, one group (what the refusals act on)
  const { srv, page, errors } = await startEmpty(t, { name: 'refused' });
  await steps.newShow(page, 'refused', { output: 'none' });
  await steps.addTracks(page, 2);
  await steps.selectTracks(page, [1, 2]);
  await steps.applyAnimation(page, 'circular', { 'param-radius': 1, 'timing-duration': 4 });
  await waitFor(() => (srv.session.doc.groups || []).length === 1, 'the group');
  const refused = async (testid, value) => {
    await page.fill(`[data-testid=${testid}]`, String(value));
    await page.press(`[data-testid=${testid}]`, 'Enter');
    const el = await page.waitForSelector(`[data-testid=${testid}-error]`);
    const box = await el.evaluate((e) => {
      const r = e.getBoundingClientRect();
      // on screen, its own text not overflowing, and nothing (a panel's edge) over any corner of it
      const corners = [[r.left + 2, r.top + 2], [r.right - 2, r.top + 2], [r.left + 2, r.bottom - 2], [r.right - 2, r.bottom - 2]];
      const covered = corners.some(([x, y]) => !e.contains(document.elementFromPoint(x, y)));
      return { text: e.textContent, cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1 || r.left < 0 || r.right > innerWidth || r.bottom > innerHeight || covered };
    });
    assert.equal(box.cut, false, `${testid}: the whole message is visible`);
    return box.text;
  };
  // the transport's speed
  assert.equal(await refused('speed', -3), 'speed must be in [0.001, 1000], got -3');
  assert.equal(srv.runtime.transport().speed, 1);
  // a field of a group already in the show
  await page.selectOption('[data-testid=editor-target]', srv.session.doc.groups[0].name);
  assert.equal(await refused('param-radius', -1), 'animations[0].parameters.radius: -1 is below the minimum 0');
  assert.equal(await page.inputValue('[data-testid=param-radius]'), String(srv.session.doc.animations[0].parameters.radius), 'the field shows the show again');
  assert.match(await refused('timing-duration', -2), /animations\[0\]\.duration: -2 is below the minimum/);
  // a base position
  assert.match(await refused('track-1-x', 5000), /^tracks\[0\]\.position\[0\]: 5000 is above the maximum 1000/);
  // not a number at all
  assert.equal(await refused('track-1-y', 'abc'), 'y: "abc" is not a number');
  await page.screenshot({ path: path.join(RESULTS, 'journey-19-refused-values.png') });
  // a new animation's field: the engine's message in full beside it
  await page.selectOption('[data-testid=editor-target]', 'new');
  await page.fill('[data-testid=param-radius]', '-1');
  await page.press('[data-testid=param-radius]', 'Enter');
  const hint = await page.waitForSelector('[data-testid=error-radius]');
  const h1 = await hint.evaluate((e) => ({ text: e.textContent, cut: e.parentElement.scrollWidth > e.parentElement.clientWidth + 1 }));
  assert.match(h1.text, /-1 is below the minimum 0/);
  assert.equal(h1.cut, false, 'not cut off');
  assert.deepEqual(errors, []);
});
