// The gateway's JSON API, with the API key asked for once when the gateway answers 401.
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

let keyPrompt = null;

export async function api(path, options = {}) {
  const init = { credentials: 'same-origin', ...options };
  if (options.body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(path, init);
  if (response.status === 401 && !path.startsWith('/v1/session')) {
    await askForKey();
    return api(path, options);
  }
  const type = response.headers.get('content-type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, (body && (body.detail || body.title)) || response.statusText);
  return body;
}

/** Shows the key dialog until POST /v1/session accepts a key (it sets the HttpOnly cookie). */
export function askForKey() {
  if (keyPrompt) return keyPrompt;
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const error = document.getElementById('key-error');
  keyPrompt = new Promise(resolve => {
    form.onsubmit = async event => {
      event.preventDefault();
      error.textContent = '';
      const response = await fetch('/v1/session', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ api_key: input.value }),
      });
      if (response.ok) {
        dialog.close();
        keyPrompt = null;
        resolve();
        document.dispatchEvent(new CustomEvent('fanout:signed-in'));
      } else {
        error.textContent = response.status === 401 ? 'That key was refused.' : `Sign-in failed (${response.status}).`;
        input.focus();
      }
    };
    dialog.showModal();
    input.focus();
  });
  return keyPrompt;
}
