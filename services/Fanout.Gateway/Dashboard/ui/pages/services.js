// Services: what the service directory (GET /v1/services) knows; says so when the gateway has no directory.
import { api, ApiError } from '../api.js';
import { el, time } from '../app.js';

export async function render(main) {
  main.append(el('h1', {}, 'Services'));
  let directory;
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
  main.append(el('table', {}, el('caption', { class: 'sr-only' }, 'Live services and their instances'),
    el('thead', {}, el('tr', {}, ['Service', 'Host', 'Process', 'Version', 'Concurrency', 'Started', 'Last seen']
      .map(name => el('th', { scope: 'col' }, name)))),
    el('tbody', {}, directory.services.flatMap(service => service.instances.map((instance, i) =>
      el('tr', { 'data-service': service.service },
        el('td', {}, i === 0 ? service.service : ''), el('td', {}, instance.host),
        el('td', { class: 'num' }, instance.process_id), el('td', {}, instance.version),
        el('td', { class: 'num' }, instance.concurrency), el('td', {}, time(instance.started_at_utc)),
        el('td', {}, time(instance.last_seen_utc))))))));
}
