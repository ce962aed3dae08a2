// The live results page: forms, the health line, and one watched row per task or group.
// Uses only the demo's public HTTP API (docs/demo.md): /demo/tasks, /demo/groups, /tasks/:id/events,
// /groups/:id and /health.
import {
  READY_STATES,
  createRow,
  renderError,
  renderGroup,
  renderTask,
} from './render.js';

const HEALTH_EVERY_MS = 5000;
const GROUP_POLL_MS = 1000;

const rows = document.getElementById('rows');
/** @type {Map<string, { row: HTMLElement, stop: () => void }>} */
const watched = new Map();

/** Call the API; resolves with the status and the JSON body (null when there is none). */
async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => null);
  return { ok: res.ok, status: res.status, data };
}

function say(message, isError = false) {
  const line = document.getElementById('message');
  line.textContent = message;
  line.classList.toggle('error', isError);
  line.hidden = !message;
}

function failure(res) {
  return res.data?.message ?? `HTTP ${res.status}`;
}

/** Add a row on top, or return null when the id is already watched (and highlight it). */
function addRow(id, kind) {
  const existing = watched.get(id);
  if (existing) {
    existing.row.scrollIntoView({ block: 'nearest' });
    existing.row.classList.remove('flash');
    void existing.row.offsetWidth;
    existing.row.classList.add('flash');
    return null;
  }
  const row = createRow(id, kind);
  row.querySelector('.remove').addEventListener('click', () => unwatch(id));
  rows.prepend(row);
  document.getElementById('empty').hidden = true;
  return row;
}

function unwatch(id) {
  const entry = watched.get(id);
  if (!entry) return;
  entry.stop();
  entry.row.remove();
  watched.delete(id);
  document.getElementById('empty').hidden = watched.size > 0;
}

/**
 * Follow a task over server-sent events: the first event is the current state (PENDING for an
 * unknown id), then one per change; the server ends the stream after a ready state, and the
 * page closes it then (else EventSource would reconnect).
 */
function watchTask(id) {
  const row = addRow(id, 'task');
  if (!row) return;
  const source = new EventSource(`/tasks/${encodeURIComponent(id)}/events`);
  watched.set(id, { row, stop: () => source.close() });
  source.addEventListener('message', (event) => {
    const meta = JSON.parse(event.data);
    renderTask(row, meta);
    if (READY_STATES.includes(meta.status)) source.close();
  });
  source.addEventListener('error', (event) => {
    if (event.data) {
      // an error event sent by the server (store down, malformed result): the stream ends
      renderError(row, JSON.parse(event.data));
      source.close();
    } else if (source.readyState === EventSource.CLOSED) {
      renderError(row, { message: 'The event stream could not be opened' });
    } // else: the connection dropped and EventSource reconnects by itself
  });
}

/** Follow a group by polling `GET /groups/:id` until every member is ready. */
function watchGroup(id, first) {
  const row = addRow(id, 'group');
  if (!row) return;
  let timer;
  watched.set(id, { row, stop: () => clearTimeout(timer) });
  const show = (group) => {
    renderGroup(row, group);
    if (!group.ready) timer = setTimeout(poll, GROUP_POLL_MS);
  };
  const poll = async () => {
    const res = await api('GET', `/groups/${encodeURIComponent(id)}`).catch(
      () => null,
    );
    if (!watched.has(id)) return;
    if (res?.ok) show(res.data);
    else if (res) renderError(row, { message: failure(res) });
    else timer = setTimeout(poll, GROUP_POLL_MS); // app unreachable: try again
  };
  if (first) show(first);
  else void poll();
}

function numberField(form, name) {
  return Number(new FormData(form).get(name));
}

async function startTask(form) {
  const steps = numberField(form, 'steps');
  const outcome = String(new FormData(form).get('outcome'));
  // pick the id and open the stream first, so that every state shows, from the very first one
  const taskId = globalThis.crypto?.randomUUID?.();
  if (taskId) watchTask(taskId);
  const res = await api('POST', '/demo/tasks', {
    steps,
    outcome,
    ...(taskId ? { taskId } : {}),
  });
  if (!res.ok) {
    if (taskId) unwatch(taskId);
    return say(`Could not start the task: ${failure(res)}`, true);
  }
  if (!taskId) watchTask(res.data.taskId);
  say('');
}

async function startGroup(form) {
  const size = numberField(form, 'size');
  const steps = numberField(form, 'steps');
  const res = await api('POST', '/demo/groups', { size, steps });
  if (!res.ok) return say(`Could not start the group: ${failure(res)}`, true);
  watchGroup(res.data.groupId);
  say('');
}

/** A saved group id shows as a group, any other id as a task (an unknown id is PENDING). */
async function watchId(form) {
  const input = form.elements.namedItem('id');
  const id = input.value.trim();
  if (!id) return;
  const res = await api('GET', `/groups/${encodeURIComponent(id)}`);
  if (res.ok) watchGroup(id, res.data);
  else if (res.status === 404) watchTask(id);
  else return say(`Cannot watch ${JSON.stringify(id)}: ${failure(res)}`, true);
  input.value = '';
  say('');
}

/** The header: the backend's masked URL and its health, refreshed every few seconds. */
async function refreshHealth() {
  const health = document.getElementById('health');
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    const body = await res.json();
    const info = body.details?.results ?? {};
    document.getElementById('backend-url').textContent =
      info.description ?? 'unknown';
    health.dataset.status = info.status === 'up' ? 'up' : 'down';
    health.textContent =
      info.status === 'up'
        ? `up · ${info.latencyMs} ms`
        : `down: ${info.message ?? body.message ?? res.status}`;
  } catch {
    health.dataset.status = 'down';
    health.textContent = 'demo app unreachable';
  }
  const checked = document.getElementById('health-checked');
  checked.textContent = `checked ${new Date().toLocaleTimeString()}`;
  setTimeout(refreshHealth, HEALTH_EVERY_MS);
}

/** Run a form's action on submit, with its button disabled meanwhile. */
function onSubmit(id, action) {
  const form = document.getElementById(id);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    action(form)
      .catch((err) => say(`The demo app did not answer: ${err.message}`, true))
      .finally(() => (button.disabled = false));
  });
}

onSubmit('start-task', startTask);
onSubmit('start-group', startGroup);
onSubmit('watch', watchId);
void refreshHealth();
