// Hash routing: #/runs?state=running, #/run/<cid>, #/overview, #/services, #/fifo. Filters live in the hash.
import { restart, subscribe } from './live.js';
import * as runs from './pages/runs.js';
import * as run from './pages/run.js';
import * as overview from './pages/overview.js';
import * as services from './pages/services.js';
import * as fifo from './pages/fifo.js';

const pages = { runs, run, overview, services, fifo };
let cleanup = null;

export function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, ...rest] = path.split('/');
  return { page: pages[page] ? page : 'runs', arg: rest.map(decodeURIComponent).join('/'),
    params: new URLSearchParams(query) };
}

/** Changes the hash to page/arg with these parameters (empty ones dropped). */
export function navigate(page, params = {}, arg = '') {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '' && value !== false) query.set(key, value);
  const text = query.toString();
  location.hash = `#/${page}${arg ? '/' + encodeURIComponent(arg) : ''}${text ? '?' + text : ''}`;
}

async function show() {
  if (cleanup) cleanup();
  cleanup = null;
  const { page, arg, params } = parseHash();
  const nav = page === 'run' ? 'runs' : page;
  for (const link of document.querySelectorAll('header nav a')) {
    if (link.dataset.page === nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const main = document.getElementById('main');
  main.replaceChildren();
  try {
    cleanup = await pages[page].render(main, params, arg);
  } catch (error) {
    main.replaceChildren(el('p', { class: 'error', role: 'alert' }, `Could not load this page: ${error.message}`));
  }
}

/** A small element builder: el('a', { href: '#' }, 'text', child…). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, value);
  }
  for (const child of children.flat())
    if (child !== null && child !== undefined && child !== false)
      node.append(child instanceof Node ? child : String(child));
  return node;
}

export function time(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return el('time', { datetime: iso, title: iso }, date.toLocaleString());
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round(ms % 60000 / 1000)} s`;
  return `${Math.floor(ms / 3600000)} h ${Math.round(ms % 3600000 / 60000)} min`;
}

window.addEventListener('hashchange', show);
// The skip link moves focus only: the hash holds the route.
document.querySelector('.skip').addEventListener('click', event => {
  event.preventDefault();
  document.getElementById('main').focus();
});
// The stream stays open across pages, so the top bar always says whether updates are live.
subscribe(() => {});
document.addEventListener('fanout:signed-in', () => { restart(); show(); });
show();
