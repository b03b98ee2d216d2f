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
      // How far this page has read the stream, for anyone checking what it has seen.
      document.documentElement.dataset.lastEventId = event.lastEventId;
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

/**
 * Loads a page now, and again after every event that wanted(type, data) accepts (at most once per wait). Subscribed
 * before the first load: an event that arrives while the page loads brings another load, so nothing that happened
 * after the page opened is missed. Loads never overlap (an older answer would overwrite a newer one): an event during
 * a load brings one more load after it. Resolves, once the first load is shown, to the function that unsubscribes.
 */
export async function follow(load, wanted, wait = 300) {
  let loading = null;
  let again = false;
  const loadLatest = () => {
    if (loading) { again = true; return loading; }
    loading = (async () => {
      try { do { again = false; await load(); } while (again); } finally { loading = null; }
    })();
    return loading;
  };
  let timer = null;
  const unsubscribe = subscribe((type, data) => {
    if (!wanted(type, data)) return;
    clearTimeout(timer);
    timer = setTimeout(() => loadLatest().catch(() => {}), wait);
  });
  const stop = () => { clearTimeout(timer); unsubscribe(); };
  try {
    await loadLatest();
  } catch (error) {
    stop();
    throw error;
  }
  return stop;
}

export function restart() {
  if (source) source.close();
  open();
}
