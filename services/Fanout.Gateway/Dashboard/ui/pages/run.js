// One run: facts, progress, the target table (paged, or every failing target), cancel, the payload as JSON.
import { api } from '../api.js';
import { follow } from '../live.js';
import { el, time, duration, navigate } from '../app.js';

const PAGE = 50;
const MAX_FAILED_PAGES = 200;

export async function render(main, params, cid) {
  const offset = Number(params.get('offset') || 0);
  const failedOnly = params.get('failed') === '1';
  const go = changes => navigate('run', { offset: offset || '', failed: failedOnly ? '1' : '', ...changes }, cid);

  const heading = el('h1', {}, 'Run ', el('code', {}, cid));
  const facts = el('dl', { class: 'facts' });
  const progress = el('div', { class: 'progress', role: 'img' });
  const actions = el('div', { class: 'toolbar' });
  const message = el('p', { role: 'status', 'aria-live': 'polite' });
  const failedSwitch = el('input', { type: 'checkbox', id: 'failed-only', checked: failedOnly,
    onchange: event => go({ failed: event.target.checked ? '1' : '', offset: '' }) });
  const body = el('tbody');
  const table = el('table', { id: 'targets' },
    el('caption', { class: 'sr-only' }, failedOnly ? 'Failing targets' : 'Targets'),
    el('thead', {}, el('tr', {}, ['Key', 'Service', 'Status', 'Attempts', 'Duration', 'OK', 'Exception']
      .map(name => el('th', { scope: 'col' }, name)))),
    body);
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages of targets' });
  const payload = el('pre', { id: 'payload', tabindex: '0', 'aria-label': 'Final payload as JSON' });
  main.append(heading, facts, progress, actions, message,
    el('h2', {}, 'Targets'),
    el('div', { class: 'toolbar' }, el('label', { for: 'failed-only', class: 'check' }, failedSwitch,
      ' Failed only')),
    table, pager, el('h2', {}, 'Final payload'), payload);

  let status = null;
  let confirming = false;
  let deadlineTimer = null;

  function renderFacts() {
    const left = Date.parse(status.deadline_utc) - Date.now();
    const deadline = [time(status.deadline_utc)];
    if (status.state === 'running') deadline.push(` (${left > 0 ? 'in ' + duration(left) : 'passed'})`);
    const rows = [['CID', el('code', {}, status.cid)], ['Mode', status.mode], ['Source', status.source],
      ['State', el('span', { class: `state state-${status.state}`, id: 'run-state' }, status.state)],
      ['Requested', time(status.req_ts_utc)], ['Finished', time(status.finished_ts_utc)],
      ['Deadline', el('span', {}, ...deadline)],
      ['Targets', `${status.finished_count} finished of ${status.target_count}, ${status.failed_count} failed`],
      ['Callbacks per target', status.on_target.join(', ') || 'none'],
      ['Final callbacks', `${status.on_final.join(', ') || 'none'} (${status.final_callbacks})`]];
    if (status.warnings?.length) rows.push(['Warnings', el('span', { class: 'error' }, status.warnings.join('; '))]);
    facts.replaceChildren(...rows.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
    const total = Math.max(1, status.target_count);
    const ok = status.finished_count - status.failed_count;
    progress.setAttribute('aria-label',
      `${status.finished_count} of ${status.target_count} targets finished, ${status.failed_count} failed`);
    progress.replaceChildren(el('div', { class: 'ok', style: `width:${100 * ok / total}%` }),
      el('div', { class: 'bad', style: `width:${100 * status.failed_count / total}%` }));
  }

  function renderActions() {
    actions.replaceChildren();
    if (status.state !== 'running') return;
    if (!confirming) {
      actions.append(el('button', { type: 'button', class: 'danger', id: 'cancel-run',
        onclick: () => { confirming = true; renderActions(); actions.querySelector('#cancel-no').focus(); } },
      'Cancel run…'));
      return;
    }
    actions.append(el('span', { id: 'cancel-question' }, 'Cancel this run? Unfinished targets end as cancelled.'),
      el('button', { type: 'button', class: 'danger', id: 'cancel-yes', 'aria-describedby': 'cancel-question',
        onclick: cancel }, 'Yes, cancel the run'),
      el('button', { type: 'button', id: 'cancel-no', onclick: () => { confirming = false; renderActions(); } },
        'Keep it running'));
  }

  async function cancel() {
    try {
      await api(`/v1/fanouts/${encodeURIComponent(cid)}`, { method: 'DELETE' });
      message.textContent = 'Run cancelled.';
    } catch (error) {
      message.textContent = `Cancel failed: ${error.message}`;
    }
    confirming = false;
    await load();
  }

  async function readTargets() {
    if (!failedOnly) {
      const page = await api(`/v1/fanouts/${encodeURIComponent(cid)}?targets_offset=${offset}&targets_limit=${PAGE}`);
      return { run: page, targets: Object.entries(page.targets), next: page.next_targets_offset };
    }
    // Every failing target: read the pages in turn and keep the failures.
    let run = null;
    const targets = [];
    let next = 0;
    for (let pages = 0; next !== null && pages < MAX_FAILED_PAGES; pages++) {
      run = await api(`/v1/fanouts/${encodeURIComponent(cid)}?targets_offset=${next}&targets_limit=500`);
      for (const entry of Object.entries(run.targets)) if (entry[1].result && !entry[1].result.ok) targets.push(entry);
      next = run.next_targets_offset;
    }
    return { run, targets, next: null };
  }

  async function load() {
    const { run, targets, next } = await readTargets();
    status = run;
    renderFacts();
    renderActions();
    body.replaceChildren(...targets.map(([key, target]) => {
      const result = target.result;
      const started = target.invoked_ts_utc || result?.req_ts_utc;
      const ms = result && started ? Date.parse(result.resp_ts_utc) - Date.parse(started) : null;
      return el('tr', { 'data-key': key },
        el('td', {}, key), el('td', {}, target.service ?? ''),
        el('td', {}, el('span', { class: `status-${target.status}` }, target.status)),
        el('td', { class: 'num' }, target.attempts), el('td', { class: 'num' }, duration(ms)),
        el('td', {}, result ? (result.ok ? 'yes' : 'no') : '—'),
        el('td', {}, result?.exception
          ? el('details', {}, el('summary', {}, 'Show exception'), el('pre', {}, result.exception)) : ''));
    }));
    if (targets.length === 0)
      body.append(el('tr', {}, el('td', { colspan: '7', class: 'muted' },
        failedOnly ? 'No target failed.' : 'No targets on this page.')));
    pager.replaceChildren(
      offset > 0 ? el('button', { type: 'button', onclick: () => go({ offset: Math.max(0, offset - PAGE) || '' }) },
        'Previous targets') : '',
      next !== null && next !== undefined
        ? el('button', { type: 'button', onclick: () => go({ offset: next }) }, 'Next targets') : '');
    const data = Object.fromEntries(targets.filter(([, t]) => t.result).map(([key, t]) => [key, t.result]));
    payload.textContent = status.state === 'running'
      ? 'The run is still running; its final payload is built when every target finished.'
      : JSON.stringify({ cid: status.cid, source: status.source, req_ts_utc: status.req_ts_utc,
        on_target: status.on_target, on_final: status.on_final, target_count: status.target_count, data }, null, 2);
  }

  const unsubscribe = await follow(load, (type, data) => type === 'run' && data.run?.cid === cid, 250);
  deadlineTimer = setInterval(() => { if (status?.state === 'running') renderFacts(); }, 1000);
  return () => { unsubscribe(); clearInterval(deadlineTimer); };
}
