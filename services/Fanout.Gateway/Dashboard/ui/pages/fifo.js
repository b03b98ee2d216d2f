// FIFO lines: per line its depth, the order running and the latest orders; discard a standby order (asks first).
import { api } from '../api.js';
import { follow } from '../live.js';
import { el, time } from '../app.js';

export async function render(main) {
  const message = el('p', { role: 'status', 'aria-live': 'polite' });
  const lines = el('div');
  main.append(el('h1', {}, 'FIFO lines'), message, lines);
  let confirming = null;

  async function discard(orderId) {
    try {
      await api(`/v1/orders/${encodeURIComponent(orderId)}`, { method: 'DELETE' });
      message.textContent = `Order ${orderId} discarded.`;
    } catch (error) {
      message.textContent = `Discard failed: ${error.message}`;
    }
    confirming = null;
    await load();
  }

  function actionsFor(order) {
    if (order.status !== 'standby') return '';
    if (confirming !== order.order_id)
      return el('button', { type: 'button', 'aria-label': `Discard order ${order.order_id}`,
        onclick: () => { confirming = order.order_id; load(); } }, 'Discard…');
    return el('span', {}, 'Discard it? ',
      el('button', { type: 'button', class: 'danger', onclick: () => discard(order.order_id) }, 'Yes, discard'),
      ' ', el('button', { type: 'button', onclick: () => { confirming = null; load(); } }, 'Keep it'));
  }

  async function load() {
    const list = await api('/v1/orders?limit=200');
    const byFifo = new Map();
    for (const order of list.items) {
      if (!byFifo.has(order.fifo)) byFifo.set(order.fifo, []);
      byFifo.get(order.fifo).push(order);
    }
    if (byFifo.size === 0) {
      lines.replaceChildren(el('p', { class: 'muted' }, 'No orders yet.'));
      return;
    }
    lines.replaceChildren(...[...byFifo.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([fifo, orders]) => {
      const running = orders.find(o => o.status === 'processing');
      const depth = orders.filter(o => o.status === 'standby').length;
      return el('section', { class: 'fifo', 'aria-labelledby': `fifo-${fifo}`, 'data-fifo': fifo },
        el('h2', { id: `fifo-${fifo}` }, fifo),
        el('p', {}, `Waiting: ${depth}. `, running
          ? el('span', {}, `Running: ${running.order_id} on ${running.worker ?? '?'} since `,
            time(running.started_ts_utc))
          : 'Nothing running.'),
        el('table', {}, el('caption', { class: 'sr-only' }, `Orders on ${fifo}, newest first`),
          el('thead', {}, el('tr', {}, ['Order', 'Sequence', 'Status', 'Submitted', 'Started', 'Finished',
            'Attempts', 'Actions'].map(name => el('th', { scope: 'col' }, name)))),
          el('tbody', {}, orders.map(order => el('tr', { 'data-order': order.order_id },
            el('td', {}, el('code', {}, order.order_id)), el('td', { class: 'num' }, order.sequence),
            el('td', {}, el('span', { class: `status-${order.status}`, 'data-status': order.status }, order.status)),
            el('td', {}, time(order.submitted_ts_utc)), el('td', {}, time(order.started_ts_utc)),
            el('td', {}, time(order.finished_ts_utc)), el('td', { class: 'num' }, order.attempts),
            el('td', {}, actionsFor(order)))))));
    }));
  }

  return follow(load, type => type === 'order' && confirming === null);
}
