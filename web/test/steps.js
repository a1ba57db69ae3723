'use strict';
// Page steps a user takes, shared by the browser tests (arrange, journey,
// path, timeline, trackstate, view3d, …): each acts through the page only
// (clicks, typing) and waits for what the page shows, never for the
// server's internals.

/** The show's version the page knows (bumps once per edit, undo or redo). */
function version(page) {
  return page.evaluate(() => {
    const st = window.__holo.getState().docState;
    return st ? st.version : 0;
  });
}

/** Run `act` and wait until the page has the show `edits` versions later. */
async function edited(page, act, edits = 1) {
  const v = await version(page);
  await act();
  await page.waitForFunction((want) => window.__holo.getState().docState.version >= want, v + edits);
}

/** The show as the page has it. */
function pageDoc(page) {
  return page.evaluate(() => window.__holo.getState().doc);
}

/**
 * A field's value once the page shows `want` there (React renders after the
 * event that changed what the field shows), or what it shows after 60 s: the
 * caller asserts on the value, so a wrong one fails with what was there.
 */
async function fieldValue(page, testid, want) {
  await page
    .waitForFunction(([id, w]) => {
      const el = document.querySelector(`[data-testid=${id}]`);
      return !!el && el.value === w;
    }, [testid, String(want)], { timeout: 60000 })
    .catch(() => {});
  return page.inputValue(`[data-testid=${testid}]`);
}

/** Type into a field and commit it (Enter). */
async function typeInto(page, testid, value) {
  await page.fill(`[data-testid=${testid}]`, String(value));
  await page.press(`[data-testid=${testid}]`, 'Enter');
}

/**
 * Projects menu → New show… → `name`, output the simulated device (or
 * `output`: 'none' | 'address' with `address`); `beforeCreate()` runs with
 * the form filled in, before Create.
 */
async function newShow(page, name, { output = 'devsim', address, beforeCreate } = {}) {
  await page.click('[data-testid=projects]');
  await page.click('[data-testid=new-show]');
  await page.fill('[data-testid=new-name]', name);
  if (output === 'address') await page.fill('[data-testid=new-address]', address);
  else if (output === 'devsim') await page.check('[data-testid=new-output-devsim]');
  if (beforeCreate) await beforeCreate();
  await page.click('[data-testid=new-create]');
  await page.waitForSelector('[data-testid=new-show-form]', { state: 'detached' });
  await page.waitForFunction((n) => (window.__holo.getState().docState || {}).project === n, name);
}

/**
 * Projects menu → the bundled example `name` (a copy opens under a free
 * name, name or "name 2"...); resolves with the project's name.
 */
async function openExample(page, name) {
  await page.click('[data-testid=projects]');
  await page.click(`[data-testid="example-${name}"]`);
  await page.waitForFunction((n) => ((window.__holo.getState().docState || {}).project || '').startsWith(n) && window.__holo.getState().doc !== null, name);
  return page.evaluate(() => window.__holo.getState().docState.project);
}

/** Outputs tab: output `i`'s host and port typed in (an edit each that differs), waiting for both in the document. */
async function setOutput(page, i, host, port) {
  await openTab(page, 'outputs');
  const now = (await pageDoc(page)).outputs[i];
  if (now.host !== host) await edited(page, () => typeInto(page, `output-${i}-host`, host));
  if (now.port !== port) await edited(page, () => typeInto(page, `output-${i}-port`, port));
  await page.waitForFunction(([k, hh, pp]) => {
    const o = (window.__holo.getState().doc.outputs || [])[k];
    return o && o.host === hh && o.port === pp;
  }, [i, host, port]);
}

/** "+ Add" `n` times, one track each (waits for each). */
async function addTracks(page, n) {
  for (let i = 0; i < n; i++) await edited(page, () => page.click('[data-testid=add-track]'));
}

/** Discover (track list) on the device at `device` (host:port), then its "Add N" (one edit). */
async function discover(page, device) {
  await page.click('[data-testid=discover]');
  await page.fill('[data-testid=discover-target]', device);
  await page.click('[data-testid=discover-run]');
  await edited(page, () => page.click('[data-testid=discover-add]'));
}

/**
 * Type coordinate `k` (0 x, 1 y, 2 z) of track `id`'s base in its row of the
 * list, and wait until the page's show has it: the row's next field makes
 * the whole position from the page's show, and an edit made before the last
 * one reached the page is refused as a conflict with it.
 */
async function typeBase(page, id, k, value) {
  await typeInto(page, `track-${id}-${'xyz'[k]}`, value);
  await page.waitForFunction(([i, kk, v]) => {
    const t = ((window.__holo.getState().doc || {}).tracks || []).find((x) => x.id === i);
    return !!t && (t.position || [0, 0, 0])[kk] === v;
  }, [id, k, Number(value)]);
}

/** Type track `id`'s base position `pos` (x, y, z) in its row of the list, field by field (each in the page's show before the next). */
async function setBase(page, id, pos) {
  for (let k = 0; k < 3; k++) await typeBase(page, id, k, pos[k]);
}

/**
 * Wait until the page draws each of `at` ([[id, [x, y, z]], …]) there, to
 * 1 mm (its live positions, from the frames it received): the views pick
 * and drag a source where the page last drew it, which may lag the device.
 */
function drawnAt(page, at) {
  return page.waitForFunction((want) => want.every(([id, b]) => {
    const l = window.__holo.live;
    const i = l.index.get(id);
    return i !== undefined && i < l.n && [0, 1, 2].every((k) => Math.abs(l.pos[3 * i + k] - b[k]) < 1e-3);
  }), at);
}

/**
 * Wait until the page shows the transport playing (`on` true) or not: the
 * play button pauses when the page shows it playing, plays otherwise.
 */
function transportShown(page, on) {
  return page.waitForFunction((p) => window.__holo.getState().transport.playing === p, on);
}

/** Select tracks `ids` in the list (the first alone, the others with Ctrl), in that order. */
async function selectTracks(page, ids) {
  await page.click(`[data-testid=track-${ids[0]}] .idx`);
  for (const id of ids.slice(1)) await page.click(`[data-testid=track-${id}] .idx`, { modifiers: ['Control'] });
  await page.waitForFunction((want) => JSON.stringify(window.__holo.getState().selection) === want, JSON.stringify(ids));
}

/** Select tracks `first` to `last` in the list: a click, then Shift+click. */
async function selectRange(page, first, last) {
  await page.click(`[data-testid=track-${first}] .idx`);
  await page.click(`[data-testid=track-${last}] .idx`, { modifiers: ['Shift'] });
  await page.waitForFunction((n) => window.__holo.getState().selection.length === n, last - first + 1);
}

async function openTab(page, tab) {
  await page.click(`[data-testid=tab-${tab}]`);
}

/**
 * Arrange the selected tracks (Arrange tab): `shape` circle | arc | line |
 * grid, then each of `params` typed into its field (cx, cy, radius, height,
 * startAngle, span, x1…z2, columns, spacingX, spacingY; direction chosen),
 * then "Arrange" (one edit).
 */
async function arrange(page, shape, params = {}) {
  await openTab(page, 'arrange');
  await page.click(`[data-testid=arrange-shape-${shape}]`);
  for (const [k, v] of Object.entries(params)) {
    if (k === 'direction') await page.selectOption('[data-testid=arrange-direction]', v);
    else await typeInto(page, `arrange-${k}`, v);
  }
  await edited(page, () => page.click('[data-testid=arrange-apply]'));
}

/** arrange(page, 'circle', {radius, height, cx, cy, startAngle, direction}). */
const arrangeCircle = (page, params) => arrange(page, 'circle', params);

/** Distribute the selected tracks evenly: 'line' or 'circle' (one edit). */
async function distribute(page, kind) {
  await openTab(page, 'arrange');
  await edited(page, () => page.click(`[data-testid=arrange-distribute-${kind}]`));
}

/**
 * Set a field of every selected track in the track editor (Arrange tab):
 * x, y, z, az, el, dist (aed switches the editor to aed), gain, name; one edit.
 */
async function setTrackField(page, field, value) {
  await openTab(page, 'arrange');
  await page.selectOption('[data-testid=sel-space]', ['az', 'el', 'dist'].includes(field) ? 'aed' : 'xyz');
  await edited(page, () => typeInto(page, `sel-${field}`, value));
}

/** The animation editor's autoStart box of the group (or new animation) it shows: ticked or not. */
async function setAutoStart(page, on) {
  const box = page.locator('[data-testid=group-autostart]');
  await (on ? box.check() : box.uncheck());
}

/**
 * Animation editor: a new animation of `model` on the selected tracks,
 * `params` typed (param-NAME, timing-duration…), then the group's `mode`
 * (relative, isobarycentric…), `phaseSpread` ticked, `autoStart` set, when
 * given; applied (one edit). Returns its name.
 */
async function applyAnimation(page, model, params = {}, { mode, phaseSpread, autoStart } = {}) {
  await openTab(page, 'editor');
  await page.selectOption('[data-testid=editor-target]', 'new');
  await page.selectOption('[data-testid=editor-model]', model);
  for (const [k, v] of Object.entries(params)) await typeInto(page, k, v);
  if (mode) await page.selectOption('[data-testid=group-mode]', mode);
  if (phaseSpread) await page.check('[data-testid=phase-spread]');
  if (autoStart !== undefined) await setAutoStart(page, autoStart);
  await page.waitForFunction(() => window.__holo.getState().preview !== null);
  await edited(page, () => page.click('[data-testid=apply]'));
  await page.waitForFunction(() => document.querySelector('[data-testid=editor-target]').value !== 'new');
  return page.inputValue('[data-testid=editor-target]');
}

/** Copy group `group`'s animation (animation editor's Copy). */
async function copyAnimation(page, group) {
  await openTab(page, 'editor');
  await page.selectOption('[data-testid=editor-target]', group);
  await page.click('[data-testid=anim-copy]');
  await page.waitForFunction(() => !!window.__holo.getState().clipboard);
}

/** Paste the copied animation onto group `group`: how 'replace' or 'new' (one edit). */
async function pasteAnimation(page, group, how = 'replace') {
  await openTab(page, 'editor');
  await page.selectOption('[data-testid=editor-target]', group);
  await edited(page, () => page.click(`[data-testid=anim-paste-${how}]`));
}

/** Undo (the header's button), waiting for it. */
const undo = (page) => edited(page, () => page.click('[data-testid=undo]'));
const redo = (page) => edited(page, () => page.click('[data-testid=redo]'));

module.exports = { version, edited, pageDoc, fieldValue, typeInto, typeBase, transportShown, drawnAt, newShow, openExample, setOutput, selectRange, addTracks, discover, setBase, selectTracks, setAutoStart, openTab, arrange, arrangeCircle, distribute, setTrackField, applyAnimation, copyAnimation, pasteAnimation, undo, redo };
