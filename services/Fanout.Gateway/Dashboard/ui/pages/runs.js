// Runs: newest first, counts per state, filters in the URL, live unless paused.
import { api } from '../api.js';
import { follow } from '../live.js';
import { el, time, navigate } from '../app.js';

const STATES = ['running', 'completed', 'timed_out', 'cancelled'];
const FILTERS = ['state', 'mode', 'service', 'cid_prefix', 'key'];

export async function render(main, params) {
  const filter = Object.fromEntries(FILTERS.map(name => [name, params.get(name) || '']));
  const before = params.get('before') || '';
  const paused = params.get('paused') === '1';
  let pending = 0;

  const go = changes => navigate('runs', { ...filter, before, paused: paused ? '1' : '', ...changes });
  const field = (name, label, control) => el('label', { for: `f-${name}` }, label, control);
  const form = el('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter runs' },
    field('state', 'State', el('select', { id: 'f-state', name: 'state' },
      el('option', { value: '' }, 'any'),
      STATES.map(s => el('option', { value: s, selected: s === filter.state }, s)))),
    field('mode', 'Mode', el('select', { id: 'f-mode', name: 'mode' },
      el('option', { value: '' }, 'any'),
      ['fanout', 'parallel'].map(m => el('option', { value: m, selected: m === filter.mode }, m)))),
    field('service', 'Service', el('input', { id: 'f-service', name: 'service', value: filter.service })),
    field('cid_prefix', 'CID starts with', el('input', { id: 'f-cid_prefix', name: 'cid_prefix',
      value: filter.cid_prefix })),
    field('key', 'Target key', el('input', { id: 'f-key', name: 'key', value: filter.key })),
    el('button', { type: 'submit', class: 'primary' }, 'Apply'),
    el('button', { type: 'button', onclick: () => navigate('runs') }, 'Clear'),
    el('button', { type: 'button', id: 'pause', 'aria-pressed': paused ? 'true' : 'false',
      onclick: () => go({ paused: paused ? '' : '1' }) }, paused ? 'Resume live updates' : 'Pause live updates'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = new FormData(form);
    navigate('runs', { ...Object.fromEntries(FILTERS.map(n => [n, (data.get(n) || '').trim()])),
      paused: paused ? '1' : '' });
  });

  const counts = el('ul', { class: 'counts', 'aria-label': 'Runs per state' });
  const pausedNote = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const body = el('tbody');
  const table = el('table', { 'aria-describedby': 'runs-title' },
    el('caption', { class: 'sr-only' }, 'Runs, newest first'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'CID'), el('th', { scope: 'col' }, 'Mode'),
      el('th', { scope: 'col' }, 'State'), el('th', { scope: 'col' }, 'Source'),
      el('th', { scope: 'col' }, 'Requested'), el('th', { scope: 'col', class: 'num' }, 'Finished / total'),
      el('th', { scope: 'col', class: 'num' }, 'Failed'))),
    body);
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages of runs' });
  main.append(el('h1', { id: 'runs-title' }, 'Runs'), form, counts, pausedNote, table, pager);

  async function load() {
    const query = new URLSearchParams({ limit: '50', counts: 'true' });
    for (const name of FILTERS) if (filter[name]) query.set(name, filter[name]);
    if (before) query.set('before', before);
    const list = await api(`/v1/fanouts?${query}`);
    counts.replaceChildren(...STATES.map(state => el('li', {},
      el('a', { href: '#', 'aria-current': filter.state === state ? 'true' : null,
        onclick: event => { event.preventDefault(); go({ state: filter.state === state ? '' : state, before: '' }); } },
      `${state.replace('_', ' ')}: `, el('strong', { 'data-count': state }, list.counts?.[state] ?? 0)))));
    body.replaceChildren(...list.items.map(run => el('tr', { 'data-cid': run.cid },
      el('td', {}, el('a', { href: `#/run/${encodeURIComponent(run.cid)}` }, run.cid)),
      el('td', {}, run.mode),
      el('td', {}, el('span', { class: `state state-${run.state}` }, run.state)),
      el('td', {}, run.source),
      el('td', {}, time(run.req_ts_utc)),
      el('td', { class: 'num' }, `${run.finished_count} / ${run.target_count}`),
      el('td', { class: 'num' }, run.failed_count))));
    if (list.items.length === 0)
      body.append(el('tr', {}, el('td', { colspan: '7', class: 'muted' }, 'No runs match these filters.')));
    pager.replaceChildren(
      before ? el('button', { type: 'button', onclick: () => go({ before: '' }) }, 'Newest') : '',
      list.next_before ? el('button', { type: 'button', onclick: () => go({ before: list.next_before }) },
        'Older runs') : '');
  }

  return follow(load, type => {
    if (type !== 'run') return false;
    if (!paused && !before) return true;
    pending++;
    pausedNote.textContent = `${pending} change(s) since ${paused ? 'pausing' : 'this page was opened'}.`;
    return false;
  });
}
