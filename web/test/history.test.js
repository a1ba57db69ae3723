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

/** An empty projects folder, removed after test `t` (the servers on it leave it when they close). */
function emptyDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'holoanim-history-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A server on `projectsDir` that leaves the folder when it closes, and a client of it. */
async function serve(t, projectsDir) {
  const srv = await startServer(t, { projectsDir, keep: true });
  return { srv, c: await openClient(t, srv) };
}

/** The client closed, then the server (it saves the show and its history). */
async function shut({ srv, c }) {
  c.close();
  await srv.close();
}
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
  const projectsDir = emptyDir(t);
  let { srv, c } = await serve(t, projectsDir);
  await c.call('create', { project: 'kept', output: 'none' });
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 1, name: 'One', position: [1, 0, 1] } }] });
  await move(c, 2);
  await move(c, 3);
  await c.call('undo');
  assert.equal(xOf(srv), 2);
  await shut({ srv, c }); // saves the show and its history
  assert.ok(fs.existsSync(path.join(projectsDir, '.kept.history.json')), 'the history beside the show');

  ({ srv, c } = await serve(t, projectsDir));
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
  await shut({ srv, c });
  const kept = JSON.parse(fs.readFileSync(path.join(projectsDir, '.kept.history.json'), 'utf8'));
  assert.equal(kept.undo.length, MAX_STEPS);
  ({ srv, c } = await serve(t, projectsDir));
  await c.call('undo');
  assert.equal(xOf(srv), 10 + MAX_STEPS + 18);
  await shut({ srv, c });
});

test('a show changed outside holoanim: its undo history is discarded with a notice', async (t) => {
  const projectsDir = emptyDir(t);
  let { srv, c } = await serve(t, projectsDir);
  await c.call('create', { project: 'edited', output: 'none' });
  await c.call('edit', { ops: [{ op: 'add', path: '/tracks/-', value: { id: 1, position: [1, 0, 1] } }] });
  await move(c, 5);
  await shut({ srv, c });
  // another tool changes the file
  const file = path.join(projectsDir, 'edited.json');
  const show = h.Show.fromFile(file);
  show.edit('replace', '/tracks/0/position', [7, 0, 1]);
  show.save(file);

  ({ srv, c } = await serve(t, projectsDir));
  assert.equal(xOf(srv), 7, 'the file as it is');
  assert.equal(c.welcome.state.canUndo, false, 'no undo into a history of another file');
  assert.match(c.welcome.state.notice, /"edited" was changed outside holoanim .* the history is discarded/);
  assert.equal(fs.existsSync(path.join(projectsDir, '.edited.history.json')), false);
  // a new history starts from here
  await move(c, 8);
  await c.call('undo');
  assert.equal(xOf(srv), 7);
  await shut({ srv, c });
});
