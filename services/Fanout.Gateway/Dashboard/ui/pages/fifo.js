// FIFO lines: per line its depth over all orders and its lease (GET /v1/fifos), the order running and the latest
// orders (GET /v1/orders); discard a standby order (asks first).
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

  function leaseText(lease) {
    if (!lease) return 'No worker has taken this line yet.';
    if (lease.held)
      return el('span', { 'data-lease': 'held' }, 'Lease held by ', el('code', {}, lease.holder),
        ` with fencing token ${lease.token} until `, time(lease.expires_at_utc), '.');
    if (!lease.holder)
      return el('span', { 'data-lease': 'released' }, `Lease released (last fencing token ${lease.token}).`);
    return el('span', { 'data-lease': 'expired' }, `Lease of ${lease.holder} expired at `, time(lease.expires_at_utc),
      ` (fencing token ${lease.token}).`);
  }

  function runningText(running) {
    if (!running) return 'Nothing running.';
    return el('span', { 'data-running': running.order_id }, 'Running: ', el('code', {}, running.order_id),
      ' since ', time(running.started_ts_utc), ` on ${running.worker ?? '?'}`,
      running.fencing_token == null ? '.' : ` (fencing token ${running.fencing_token}).`);
  }

  async function load() {
    const [list, summary] = await Promise.all([api('/v1/orders?limit=200'), api('/v1/fifos')]);
    const byFifo = new Map(summary.lines.map(line => [line.fifo, []]));
    for (const order of list.items) {
      if (!byFifo.has(order.fifo)) byFifo.set(order.fifo, []);
      byFifo.get(order.fifo).push(order);
    }
    const lineOf = new Map(summary.lines.map(line => [line.fifo, line]));
    if (byFifo.size === 0) {
      lines.replaceChildren(el('p', { class: 'muted' }, 'No orders yet.'));
      return;
    }
    lines.replaceChildren(...[...byFifo.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([fifo, orders]) => {
      const line = lineOf.get(fifo) ?? { standby: 0, processing: 0, running: null, lease: null };
      return el('section', { class: 'fifo', 'aria-labelledby': `fifo-${fifo}`, 'data-fifo': fifo },
        el('h2', { id: `fifo-${fifo}` }, fifo),
        el('p', { 'data-depth': line.standby }, `Waiting: ${line.standby}. `, runningText(line.running)),
        el('p', {}, leaseText(line.lease)),
        el('table', {}, el('caption', {},
          `${orders.length} of the latest ${list.items.length} orders of all lines, newest first`),
          el('thead', {}, el('tr', {}, ['Order', 'Sequence', 'Status', 'Submitted', 'Started', 'Finished',
            'Attempts', 'Worker', 'Token', 'Actions'].map(name => el('th', { scope: 'col' }, name)))),
          el('tbody', {}, orders.map(order => el('tr', { 'data-order': order.order_id },
            el('td', {}, el('code', {}, order.order_id)), el('td', { class: 'num' }, order.sequence),
            el('td', {}, el('span', { class: `status-${order.status}`, 'data-status': order.status }, order.status)),
            el('td', {}, time(order.submitted_ts_utc)), el('td', {}, time(order.started_ts_utc)),
            el('td', {}, time(order.finished_ts_utc)), el('td', { class: 'num' }, order.attempts),
            el('td', {}, order.worker ?? ''), el('td', { class: 'num' }, order.fencing_token ?? ''),
            el('td', {}, actionsFor(order)))))));
    }));
  }

  return follow(load, type => type === 'order' && confirming === null);
}
