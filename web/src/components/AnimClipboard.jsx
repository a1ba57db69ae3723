// Copy and paste animations between groups, in the animation editor's head:
// Copy takes the open group's animation (model, parameters, timing); Paste
// puts it on the open group, replacing its animation or as a new one, or,
// with "New animation…" open, on the selected tracks as a new group. Each
// paste is one edit (one undo step). The clipboard is kept in the browser
// (localStorage), so it crosses shows and windows.
import { useEffect } from 'react';
import { edit, errorText, getState, setState, toast } from '../client.js';
import { useStore } from '../store.js';
import { copyAnimation, otherUsers, pasteAsGroupOps, pasteOps } from '../animclip.mjs';

const KEY = 'holoanim.animationClipboard';

function loadClip() {
  try {
    const c = JSON.parse(localStorage.getItem(KEY));
    return c && c.animation && typeof c.animation.model === 'string' ? c : null;
  } catch {
    return null;
  }
}

export function AnimClipboard({ target, onTarget }) {
  const doc = useStore((s) => s.doc);
  const selection = useStore((s) => s.selection);
  const clip = useStore((s) => s.clipboard);
  useEffect(() => {
    if (getState().clipboard === undefined) setState({ clipboard: loadClip() });
  }, []);
  const groups = (doc && doc.groups) || [];
  const gi = target === 'new' ? -1 : groups.findIndex((g) => g.name === target);
  const group = gi >= 0 ? groups[gi] : null;

  const copy = () => {
    try {
      const c = copyAnimation(doc, group.name);
      setState({ clipboard: c });
      try {
        localStorage.setItem(KEY, JSON.stringify(c));
      } catch {
        // private mode: the clipboard lasts as long as the page
      }
      toast('ok', `copied “${c.from}” (${c.animation.model})`, 2000);
    } catch (e) {
      toast('error', e.message);
    }
  };
  const paste = async (how) => {
    try {
      if (group) {
        const also = how === 'replace' ? otherUsers(doc, group.animation, gi) : [];
        await edit(pasteOps(doc, clip, group.name, how), `paste ${clip.from} onto ${group.name}`, { quiet: true });
        toast(also.length ? 'warn' : 'ok', `“${clip.from}” pasted onto ${group.name}${also.length ? `; also changed for ${also.join(', ')}` : ''}`, 4000);
      } else {
        const { ops, name } = pasteAsGroupOps(doc, clip, selection);
        await edit(ops, `paste ${clip.from} on tracks ${selection.join(', ')}`, { quiet: true });
        onTarget(name);
        toast('ok', `“${name}” on track${selection.length > 1 ? 's' : ''} ${selection.join(', ')}`, 3000);
      }
    } catch (e) {
      toast('error', errorText(e), 8000);
    }
  };

  const shared = group && otherUsers(doc, group.animation, gi);
  return (
    <div className="clipbar" data-testid="anim-clipboard">
      <button className="small" onClick={copy} disabled={!group} data-testid="anim-copy" title="copy this group's animation: model, parameters, timing">
        Copy
      </button>
      {clip && (
        <>
          <span className="dim small clipname" title={JSON.stringify(clip.animation)}>
            {clip.animation.model} “{clip.from}”
          </span>
          {group ? (
            <>
              <button className="small" onClick={() => paste('replace')} data-testid="anim-paste-replace" title={`${group.name}'s animation “${group.animation}” takes the copied model, parameters and timing${shared.length ? ` (also played by ${shared.join(', ')})` : ''}`}>
                Paste
              </button>
              <button className="small" onClick={() => paste('new')} data-testid="anim-paste-new" title={`a new animation for ${group.name} alone`}>
                Paste as new
              </button>
            </>
          ) : (
            <button className="small" onClick={() => paste('group')} disabled={selection.length === 0} data-testid="anim-paste-selection" title="a new group of the selected tracks playing the copied animation">
              Paste on {selection.length || '…'} selected
            </button>
          )}
        </>
      )}
    </div>
  );
}
