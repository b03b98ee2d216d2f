// Services: what the service directory (GET /v1/services) knows, each service's calls summed over its instances,
// and its queue from the broker's management API (GET /v1/queues), saying plainly when that is not reachable.
import { api, ApiError } from '../api.js';
import { el, time } from '../app.js';

const dash = '—';

// A sum over the instances that report calls; a dash when none does (hosts older than the counters).
function sum(instances, field) {
  const reporting = instances.filter(i => i.calls);
  return reporting.length ? reporting.reduce((total, i) => total + i.calls[field], 0) : dash;
}

function failures(count) {
  return count === dash || count === 0 ? count : el('span', { class: 'error' }, count);
}

async function queues() {
  try {
    return await api('/v1/queues');
  } catch (error) {
    return { reachable: false, problem: `GET /v1/queues failed: ${error.message}`, queues: [] };
  }
}

export async function render(main) {
  main.append(el('h1', {}, 'Services'));
  let directory;
  const broker = queues();
  try {
    directory = await api('/v1/services');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      main.append(el('p', { class: 'notice', role: 'status' },
        'The service directory is not available on this gateway (GET /v1/services answered 404).'));
      return;
    }
    throw error;
  }
  if (!directory.services.length) {
    main.append(el('p', { class: 'muted' }, 'No live service host announced itself.'));
    return;
  }
  const report = await broker;
  const queueOf = new Map(report.queues.map(q => [q.queue, q]));
  main.append(report.reachable
    ? el('p', { class: 'muted', 'data-queues': 'reachable' },
      `Queues from the RabbitMQ management API at ${report.management_url} (vhost ${report.vhost}).`)
    : el('p', { class: 'notice', role: 'status', 'data-queues': 'unreachable' },
      `Queue depth and consumers are not shown: ${report.problem}.`));

  main.append(el('h2', {}, 'Per service'),
    el('p', { class: 'muted' }, 'Calls are targets and callbacks, summed over the instances as each last announced ' +
      'itself (every few seconds): running now, and finished or failed in the minute before.'),
    el('table', { id: 'service-totals' }, el('caption', { class: 'sr-only' }, 'Calls and queue of each service'),
      el('thead', {}, el('tr', {}, ['Service', 'Instances', 'In flight', 'Calls/min', 'Failed/min',
        'Queue ready', 'Unacked', 'Consumers'].map((name, i) => el('th', { scope: 'col', class: i ? 'num' : '' },
        name)))),
      el('tbody', {}, directory.services.map(service => {
        const queue = queueOf.get(service.service);
        const consumers = queue ? queue.consumers : dash;
        return el('tr', { 'data-service': service.service },
          el('th', { scope: 'row' }, service.service),
          el('td', { class: 'num' }, service.instances.length),
          el('td', { class: 'num', 'data-field': 'in_flight' }, sum(service.instances, 'in_flight')),
          el('td', { class: 'num', 'data-field': 'calls_last_minute' }, sum(service.instances, 'calls_last_minute')),
          el('td', { class: 'num', 'data-field': 'failures_last_minute' },
            failures(sum(service.instances, 'failures_last_minute'))),
          el('td', { class: 'num', 'data-field': 'ready' }, queue ? queue.ready : dash),
          el('td', { class: 'num', 'data-field': 'unacknowledged' }, queue ? queue.unacknowledged : dash),
          el('td', { class: 'num', 'data-field': 'consumers' }, consumers === 0
            ? el('span', { class: 'error' }, 0) : consumers));
      }))));

  main.append(el('h2', {}, 'Instances'),
    el('table', { id: 'service-instances' }, el('caption', { class: 'sr-only' }, 'Live services and their instances'),
      el('thead', {}, el('tr', {}, ['Service', 'Host', 'Process', 'Version', 'Concurrency', 'In flight', 'Calls/min',
        'Failed/min', 'Calls since start', 'Started', 'Last seen'].map(name => el('th', { scope: 'col' }, name)))),
      el('tbody', {}, directory.services.flatMap(service => service.instances.map((instance, i) =>
        el('tr', { 'data-service': service.service },
          el('td', {}, i === 0 ? service.service : ''), el('td', {}, instance.host),
          el('td', { class: 'num' }, instance.process_id), el('td', {}, instance.version),
          el('td', { class: 'num' }, instance.concurrency),
          el('td', { class: 'num' }, instance.calls ? instance.calls.in_flight : dash),
          el('td', { class: 'num' }, instance.calls ? instance.calls.calls_last_minute : dash),
          el('td', { class: 'num' }, instance.calls ? failures(instance.calls.failures_last_minute) : dash),
          el('td', { class: 'num' }, instance.calls
            ? `${instance.calls.calls_total} (${instance.calls.failures_total} failed)` : dash),
          el('td', {}, time(instance.started_at_utc)), el('td', {}, time(instance.last_seen_utc))))))));
}
