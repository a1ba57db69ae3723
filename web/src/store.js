// React access to the client's store (client.js).
import { useSyncExternalStore } from 'react';
import { getState, subscribe } from './client.js';

/** Re-render when the selected part of the state changes (by identity). */
export function useStore(select) {
  return useSyncExternalStore(subscribe, () => select(getState()));
}
