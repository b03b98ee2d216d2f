// Overview: per-minute runs started/finished, targets and failures, duration p50/p95, drawn as inline SVG.
import { api } from '../api.js';
import { el, duration, navigate } from '../app.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A line chart of series [{ name, color, values }] over the minutes; labelled for screen readers. */
function chart(title, minutes, series) {
  const width = 480, height = 180, left = 36, bottom = 22, top = 8;
  const max = Math.max(1, ...series.flatMap(s => s.values));
  const x = i => left + (width - left - 8) * (minutes.length <= 1 ? 0 : i / (minutes.length - 1));
  const y = v => top + (height - top - bottom) * (1 - v / max);
  const total = series.map(s => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)} in ${minutes.length} min`);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img',
    'aria-label': `${title}. ${total.join('; ')}; peak ${max} per minute.` });
  root.append(svg('line', { x1: left, y1: y(0), x2: width - 8, y2: y(0), stroke: '#6b7683' }),
    svg('text', { x: 2, y: y(max) + 4 }, String(max)), svg('text', { x: 2, y: y(0) + 4 }, '0'),
    svg('text', { x: left, y: height - 4 }, minutes.length ? new Date(minutes[0]).toLocaleTimeString() : ''),
    svg('text', { x: width - 70, y: height - 4 }, 'now'));
  for (const s of series) {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points, fill: 'none', stroke: s.color, 'stroke-width': 2 }));
  }
  const legend = el('p', { class: 'muted' }, ...series.map(s =>
    el('span', { style: `margin-right:12px` }, el('span', { style: `color:${s.color}`, 'aria-hidden': 'true' }, '■ '),
      s.name)));
  return el('figure', {}, el('figcaption', {}, title), root, legend);
}

export async function render(main, params) {
  const minutes = Number(params.get('minutes') || 60);
  const picker = el('select', { id: 'minutes', onchange: e => navigate('overview', { minutes: e.target.value }) },
    [15, 60, 180, 1440].map(m => el('option', { value: m, selected: m === minutes },
      m < 120 ? `last ${m} minutes` : `last ${m / 60} hours`)));
  const overview = await api(`/v1/overview?minutes=${minutes}`);
  const at = overview.per_minute.map(m => m.minute_utc);
  const pick = name => overview.per_minute.map(m => m[name]);
  const rate = overview.failure_rate === null ? '—' : `${(overview.failure_rate * 100).toFixed(1)} %`;
  main.append(el('h1', {}, 'Overview'),
    el('div', { class: 'toolbar' }, el('label', { for: 'minutes' }, 'Window', picker)),
    el('dl', { class: 'facts' },
      el('dt', {}, 'Runs started'), el('dd', {}, pick('started').reduce((a, b) => a + b, 0)),
      el('dt', {}, 'Runs finished'), el('dd', {}, pick('finished').reduce((a, b) => a + b, 0)),
      el('dt', {}, 'Run duration p50'), el('dd', {}, duration(overview.duration_ms.p50)),
      el('dt', {}, 'Run duration p95'), el('dd', {}, duration(overview.duration_ms.p95)),
      el('dt', {}, 'Target failure rate'), el('dd', {}, rate)),
    el('div', { class: 'charts' },
      chart('Runs per minute', at, [{ name: 'started', color: '#0b5cad', values: pick('started') },
        { name: 'finished', color: '#126b2f', values: pick('finished') }]),
      chart('Targets per minute', at, [{ name: 'finished', color: '#0b5cad', values: pick('targets') },
        { name: 'failed', color: '#a4161a', values: pick('failed_targets') }])));
}
