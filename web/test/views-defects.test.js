'use strict';
// Three defects a new user found (issue 9), in Chromium from an EMPTY
// projects folder: the editor's dashed preview drawn with no editor open
// (nothing selected, or another panel shown); labels in the 2D views drawn
// over other labels and other sources (eight tracks on a ring at one height:
// in the side view pairs share a spot); fields too narrow for -123.456 or a
// 24-character name (or a discovered position: 2.8280000686645508).

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { CLI, RESULTS, sleep, waitFor, browserSkip, startEmpty } = require('./helpers');
const steps = require('./steps');

const skip = browserSkip('discover');

/** Pixels of the editor's preview colour (#ffe066) in the top view's lower canvas. */
function previewPixels(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid=view-top]').parentElement.querySelector('canvas.layer');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let k = 0; k < d.length; k += 4) if (d[k] > 200 && d[k + 1] > 170 && d[k + 1] < 245 && d[k + 2] > 40 && d[k + 2] < 150) n++;
    return n;
  });
}

test('views: no preview without an editor open; labels clear of each other and of other sources; fields wide enough', { skip, timeout: 240000 }, async (t) => {
  // the device's 8 tracks on a ring at one height (Discover reads them)
  const ring = (id) => {
    const a = (2 * Math.PI * id) / 8;
    return [+(4 * Math.cos(a)).toFixed(3), +(4 * Math.sin(a)).toFixed(3), 1.5];
  };
  const { device, srv, page } = await startEmpty(t, { name: 'defects', tracks: 8, place: ring, server: { cli: CLI } });
  await steps.newShow(page, 'defects');
  await waitFor(() => srv.session.project === 'defects', 'the new show is open');
  await steps.discover(page, device);
  await waitFor(() => (srv.session.doc.tracks || []).length === 8, '8 tracks');

  await t.test('the dashed preview only while the editor has tracks to act on', async () => {
    // the Animation panel is shown, nothing selected: no preview
    await sleep(800);
    assert.equal(await page.evaluate(() => window.__holo.getState().preview), null, 'no preview with nothing selected');
    assert.equal(await previewPixels(page), 0, 'no preview drawn with nothing selected');
    // a selection: the preview is drawn (the pixel count sees it)
    await page.click('[data-testid=track-1] .idx');
    await page.waitForFunction(() => window.__holo.getState().preview !== null);
    await waitFor(async () => (await previewPixels(page)) > 50, 'the preview drawn for a selection');
    // another panel: gone
    await page.click('[data-testid=tab-cues]');
    await page.waitForFunction(() => window.__holo.getState().preview === null);
    await waitFor(async () => (await previewPixels(page)) === 0, 'no preview drawn with the editor closed');
    // back to the editor with the selection cleared: none either
    await page.click('[data-testid=tab-editor]');
    await page.keyboard.press('Escape');
    const box = await page.locator('[data-testid=view-top]').boundingBox();
    await page.mouse.click(box.x + 20, box.y + box.height - 30);
    await page.waitForFunction(() => window.__holo.getState().selection.length === 0);
    await sleep(800);
    assert.equal(await previewPixels(page), 0, 'no preview drawn once the selection is cleared');
  });

  await t.test('labels cover no other label and no other source', async () => {
    await page.waitForFunction(() => window.__holo.labels(1).labels.length > 0);
    for (const [view, name, least] of [[0, 'top', 8], [1, 'side', 4]]) {
      const { labels, dots } = await page.evaluate((v) => window.__holo.labels(v), view);
      assert.ok(labels.length >= least, `${name}: ${labels.length} labels shown (at least ${least})`);
      labels.forEach((a, i) => {
        labels.forEach((b, j) => {
          if (i < j) assert.ok(!(a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]), `${name}: labels ${a} and ${b} overlap`);
        });
        // a label keeps 6 px from every source's centre (its own is 9 px away)
        for (const [x, y] of dots) {
          const cx = Math.max(a[0], Math.min(x, a[0] + a[2]));
          const cy = Math.max(a[1], Math.min(y, a[1] + a[3]));
          assert.ok(Math.hypot(cx - x, cy - y) > 6, `${name}: label ${a.map((v) => v.toFixed(0))} covers the source at ${x.toFixed(0)},${y.toFixed(0)}`);
        }
      });
    }
    await page.screenshot({ path: path.join(RESULTS, 'views-labels.png') });
  });

  await t.test('a number like -123.456 and a 24-character name are fully visible', async () => {
    const name = 'Contrabass desk 2 left A';
    assert.equal(name.length, 24);
    const nameInput = page.locator('[data-testid=track-1] input.name');
    await nameInput.fill(name);
    await nameInput.press('Enter');
    await waitFor(() => srv.session.doc.tracks[0].name === name, 'the name saved');
    // field by field, each in the page's show before the next (the next
    // field makes the position from the page's show; an edit made on an
    // older show is refused as a conflict)
    await steps.setBase(page, 1, [-123.456, -123.456, -123.456]);
    await waitFor(() => JSON.stringify(srv.session.doc.tracks[0].position) === '[-123.456,-123.456,-123.456]', () => `typed: ${srv.session.doc.tracks[0].position}`);
    // the editor's fields: the centre and the radius typed
    await page.click('[data-testid=track-1] .idx');
    for (const id of ['param-center-0', 'param-center-1', 'param-center-2', 'param-radius']) {
      const v = id === 'param-radius' ? '123.456' : '-123.456';
      await page.fill(`[data-testid=${id}]`, v);
      await page.press(`[data-testid=${id}]`, 'Enter');
      await page.waitForFunction(([i, x]) => document.querySelector(`[data-testid=${i}]`).value === x, [id, v]);
    }
    await page.locator('[data-testid=track-1]').click({ position: { x: 5, y: 5 } }); // focus away from the fields
    const cut = await page.evaluate(() => {
      const inputs = [...document.querySelectorAll('[data-testid^=track-] input.text, [data-testid^=track-] input.num, [data-testid^=param-center-], [data-testid=param-radius]')];
      return { n: inputs.length, cut: inputs.filter((el) => el.scrollWidth > el.clientWidth).map((el) => `${el.dataset.testid || el.className} "${el.value}" ${el.scrollWidth} > ${el.clientWidth}`) };
    });
    assert.equal(cut.n, 8 * 4 + 4, 'each track\'s name and x y z (the discovered ones too), centre x y z and radius checked');
    assert.deepEqual(cut.cut, [], 'no field cuts its text');
    await page.screenshot({ path: path.join(RESULTS, 'views-fields.png') });
  });
});
