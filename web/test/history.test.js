'use strict';
// Undo history kept beside the show (server/history.js): edits, a restart,
// then Undo and Redo go on where they were; a show file changed outside
// holoanim discards the history with a notice; the history file is bounded.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { h, startServer, openClient } = require('./helpers');
const { diff, MAX_STEPS } = require('../server/history');

const emptyDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-history-'));
const xOf = (srv) => srv.session.doc.tracks[0].position[0];
const move = (c, x) => c.call('edit', { ops: [{ op: 'replace', path: '/tracks/0/position', value: [x, 0, 1] }] });

test('diff: JSON Patch operations that rebuild the target', () => {
  const a = { name: 'a', tracks: [{ id: 1, position: [0, 0, 0] }], x: 1, 'a/b': 2 };
  const b = { name: 'b', tracks: [{ id: 1, position: [1, 0, 0] }, { id: 2 }], y: 2, 'a/b': 3 };
  const show = h.Show.parse(JSON.stringify({ format: 1, name: 'a', tracks: [{ id: 1, position: [0, 0, 0] }] }));
  show.patch(diff(show.toJSON(), { ...show.toJSON(), name: 'b', tracks: [{ id: 1, position: [1, 0, 0] }, { id: 2, position: [0, 0, 0] }] }));
  assert.equal(show.toJSON().tracks.length, 2);
  assert.deepEqual(diff(a, b).map((o) => `${o.op} ${o.path}`), ['remove /x', 'replace /name', 'replace /tracks', 'add /y', 'replace /a~1b']);
  assert.deepEqual(diff(a, a), []);
});

test('undo after a restart: the history is kept beside the show and replayed', async (t) => {
  const projectsDir = emptyDir();
  t.after(() => fs.rmSync(projectsDir, { recursive: true, force: true }));
  let srv = await startServer(t, { projectsDir, keep: true });
  let c = await openClient(t, srv);
  await c.call('create', { project: 'kept', output: 'none' });
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 1, name: 'One', position: [1, 0, 1] } }] });
  await move(c, 2);
  await move(c, 3);
  await c.call('undo');
  assert.equal(xOf(srv), 2);
  c.close();
  await srv.close(); // saves the show and its history
  assert.ok(fs.existsSync(path.join(projectsDir, '.kept.history.json')), 'the history beside the show');

  srv = await startServer(t, { projectsDir, keep: true });
  c = await openClient(t, srv);
  assert.equal(srv.session.project, 'kept');
  assert.equal(xOf(srv), 2);
  assert.equal(c.welcome.state.canUndo, true, 'undo works after the restart');
  assert.equal(c.welcome.state.canRedo, true, 'and redo');
  assert.equal(c.welcome.state.notice, null);
  await c.call('undo');
  assert.equal(xOf(srv), 1, 'the earlier value');
  await c.call('undo');
  assert.deepEqual(srv.session.doc.tracks, [], 'before the track was added');
  await c.call('redo');
  await c.call('redo');
  await c.call('redo');
  assert.equal(xOf(srv), 3, 'redo goes back to where the edits went');
  // bounded: the newest MAX_STEPS undo steps are kept
  for (let i = 0; i < MAX_STEPS + 20; i++) await move(c, 10 + i);
  c.close();
  await srv.close();
  const kept = JSON.parse(fs.readFileSync(path.join(projectsDir, '.kept.history.json'), 'utf8'));
  assert.equal(kept.undo.length, MAX_STEPS);
  srv = await startServer(t, { projectsDir, keep: true });
  c = await openClient(t, srv);
  await c.call('undo');
  assert.equal(xOf(srv), 10 + MAX_STEPS + 18);
  c.close();
  await srv.close();
});

test('a show changed outside holoanim: its undo history is discarded with a notice', async (t) => {
  const projectsDir = emptyDir();
  t.after(() => fs.rmSync(projectsDir, { recursive: true, force: true }));
  let srv = await startServer(t, { projectsDir, keep: true });
  let c = await openClient(t, srv);
  await c.call('create', { project: 'edited', output: 'none' });
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 1, position: [1, 0, 1] } }] });
  await move(c, 5);
  c.close();
  await srv.close();
  // another tool changes the file
  const file = path.join(projectsDir, 'edited.json');
  const show = h.Show.fromFile(file);
  show.edit('replace', '/tracks/0/position', [7, 0, 1]);
  show.save(file);

  srv = await startServer(t, { projectsDir, keep: true });
  c = await openClient(t, srv);
  assert.equal(xOf(srv), 7, 'the file as it is');
  assert.equal(c.welcome.state.canUndo, false, 'no undo into a history of another file');
  assert.match(c.welcome.state.notice, /"edited" was changed outside holoanim .* the history is discarded/);
  assert.equal(fs.existsSync(path.join(projectsDir, '.edited.history.json')), false);
  // a new history starts from here
  await move(c, 8);
  await c.call('undo');
  assert.equal(xOf(srv), 7);
  c.close();
  await srv.close();
});
