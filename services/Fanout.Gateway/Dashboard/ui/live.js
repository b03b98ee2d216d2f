// One EventSource on GET /v1/events for the whole page; pages subscribe to run and order events.
const listeners = new Set();
let source = null;

function setStatus(text) {
  const status = document.getElementById('live-status');
  if (status) status.textContent = text;
}

function open() {
  source = new EventSource('/v1/events');
  source.onopen = () => setStatus('live');
  source.onerror = () => setStatus(source.readyState === EventSource.CLOSED
    ? 'live updates unavailable (GET /v1/events failed)' : 'live updates reconnecting…');
  for (const type of ['run', 'order']) {
    source.addEventListener(type, event => {
      let data;
      try { data = JSON.parse(event.data); } catch { return; }
      for (const listener of listeners) listener(type, data);
    });
  }
}

/** Calls listener(type, data) for every event until the returned function is called. */
export function subscribe(listener) {
  if (!source) open();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function restart() {
  if (source) source.close();
  open();
}
