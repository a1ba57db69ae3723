// The views' corner: which views are shown (2D: top and side; 3D; both) and
// the page's frame rate (fps.js), written twice a second without React.
import { useEffect, useRef } from 'react';
import { fps, startFps } from '../fps.js';

const MODES = [
  ['2d', '2D', 'top and side views'],
  ['3d', '3D', 'perspective view'],
  ['split', '2D+3D', 'top and side beside the perspective view'],
];
const KEY = 'holoanim.views';

/** The layout last chosen in this browser ('2d' at first). */
export function viewsMode() {
  try {
    const m = localStorage.getItem(KEY);
    return MODES.some(([k]) => k === m) ? m : '2d';
  } catch {
    return '2d';
  }
}

export function ViewsBar({ mode, setMode }) {
  const fpsRef = useRef(null);
  useEffect(() => {
    startFps();
    const t = setInterval(() => {
      if (fpsRef.current) fpsRef.current.textContent = `${fps(2).toFixed(0)} fps`;
    }, 500);
    return () => clearInterval(t);
  }, []);
  const choose = (m) => {
    setMode(m);
    try {
      localStorage.setItem(KEY, m);
    } catch {
      /* private mode: the choice lasts for this page */
    }
  };
  return (
    <div className="viewsbar">
      {MODES.map(([k, label, title]) => (
        <button key={k} className={`small${mode === k ? ' on' : ''}`} title={title} onClick={() => choose(k)} data-testid={`views-${k}`}>
          {label}
        </button>
      ))}
      <span className="fps dim small" ref={fpsRef} title="frames per second in this page (last 2 s)" data-testid="fps" />
    </div>
  );
}
