// Renders task metas and group views (the JSON of the demo's HTTP API) into rows.
// Stored data is shown with textContent only: nothing from a result is parsed as HTML.

/** Celery's ready states: a task's stream ends after one of them. */
export const READY_STATES = ['SUCCESS', 'FAILURE', 'REVOKED'];

const template = /** @type {HTMLTemplateElement} */ (
  document.getElementById('row-template')
);

/** A new row for a task or group id, in PENDING until its first meta arrives. */
export function createRow(id, kind) {
  const row = /** @type {HTMLElement} */ (
    template.content.firstElementChild.cloneNode(true)
  );
  row.dataset.id = id;
  row.dataset.kind = kind;
  part(row, '.id').textContent = id;
  part(row, '.bar').setAttribute('aria-label', `Progress of ${kind} ${id}`);
  setBadge(row, kind === 'group' ? 'GROUP' : 'PENDING');
  return row;
}

/** Show one task meta: `GET /tasks/:id`, one event of `/tasks/:id/events`, or a group member. */
export function renderTask(row, meta) {
  setBadge(row, meta.status);
  const progress = progressOf(meta.result);
  if (progress) {
    row.dataset.total = String(progress.total);
    const text = `${progress.current} / ${progress.total}`;
    setBar(row, progress.current, progress.total, text);
  } else if (meta.status === 'SUCCESS') {
    // full, keeping the last step count when the task reported progress
    const total = Number(row.dataset.total);
    setBar(row, 1, 1, total > 0 ? `${total} / ${total}` : 'done');
  } else if (meta.status === 'PENDING') setBar(row, 0, 1, 'waiting');
  row.dataset.final = String(READY_STATES.includes(meta.status));
  part(row, '.name').textContent = meta.name ? signature(meta) : '';
  renderFacts(row, meta);
  renderOutcome(row, meta);
}

/** Show a group (`GET /groups/:id`): a bar of finished members and one compact row per member. */
export function renderGroup(row, group) {
  row.dataset.final = String(group.ready);
  part(row, '.name').textContent = `group of ${group.size}`;
  setBar(
    row,
    group.completed,
    group.size,
    `${group.completed} / ${group.size} finished`,
  );
  const members = part(row, '.members');
  for (const meta of group.results) {
    let member = members.querySelector(
      `:scope > [data-id="${CSS.escape(meta.taskId)}"]`,
    );
    if (!member) {
      member = createRow(meta.taskId, 'task');
      member.classList.add('member');
      part(member, '.remove').remove();
      members.append(member);
    }
    renderTask(member, meta);
  }
}

/** Show an error answer of the API (`{statusCode, error, message}`) in the row. */
export function renderError(row, body) {
  const box = part(row, '.outcome');
  box.replaceChildren(el('p', 'error', body?.message ?? 'Unknown error'));
  row.dataset.final = 'true';
}

/** The row's own part: member rows come last in a row, so the first match is never theirs. */
function part(row, selector) {
  return row.querySelector(selector);
}

function setBadge(row, state) {
  const badge = part(row, '.badge');
  badge.textContent = state;
  badge.dataset.state = state;
  row.dataset.state = state;
}

function setBar(row, current, total, text) {
  const pct =
    total > 0 ? Math.round(Math.min(Math.max(current / total, 0), 1) * 100) : 0;
  const bar = part(row, '.bar');
  bar.setAttribute('aria-valuenow', String(pct));
  bar.setAttribute('aria-valuetext', text);
  part(row, '.fill').style.width = `${pct}%`;
  part(row, '.bar-text').textContent = text;
}

function progressOf(result) {
  if (result === null || typeof result !== 'object') return null;
  const { current, total } = result;
  return Number.isFinite(current) && Number.isFinite(total)
    ? { current, total }
    : null;
}

/** `demo.simulate(outcome='success', steps=3)`, shortened. */
function signature(meta) {
  const args = (meta.args ?? []).map(short);
  const kwargs = Object.entries(meta.kwargs ?? {}).map(
    ([k, v]) => `${k}=${short(v)}`,
  );
  return `${meta.name}(${[...args, ...kwargs].join(', ')})`;
}

function short(value) {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function renderFacts(row, meta) {
  const started = meta.status === 'STARTED' ? (meta.result ?? {}) : {};
  const facts = [
    ['Worker', meta.worker ?? started.hostname],
    ['PID', started.pid],
    ['Retries', meta.retries || undefined],
    ['Queue', meta.queue],
    ['Group', meta.groupId],
    ['Parent', meta.parentId],
    ['Done', meta.dateDone],
  ].filter(
    ([, value]) => value !== undefined && value !== null && value !== '',
  );
  const list = part(row, '.facts');
  list.replaceChildren(
    ...facts.flatMap(([label, value]) => [
      el('dt', '', label),
      el('dd', '', '', fact(label, value)),
    ]),
  );
  list.hidden = facts.length === 0;
}

function fact(label, value) {
  if (label !== 'Done') return el('span', '', String(value));
  const time = el('time', '', new Date(value).toLocaleString());
  time.dateTime = value;
  time.title = value;
  return time;
}

function renderOutcome(row, meta) {
  const box = part(row, '.outcome');
  if (meta.exception) {
    const { type, module, args } = meta.exception;
    const qualified =
      module && module !== 'builtins' ? `${module}.${type}` : type;
    const line = el('p', 'exception');
    line.append(
      el('strong', 'exc-type', type),
      el('span', 'exc-message', `: ${args.map(text).join(', ')}`),
    );
    line.title = qualified;
    box.replaceChildren(line);
    if (meta.traceback) {
      const details = el('details', 'traceback');
      details.append(
        el('summary', '', 'Traceback'),
        el('pre', '', meta.traceback),
      );
      box.append(details);
    }
  } else if (meta.status === 'SUCCESS') {
    const json = JSON.stringify(meta.result, null, 2) ?? 'null';
    box.replaceChildren(
      el(
        'pre',
        'result',
        json.length > 80 ? json : JSON.stringify(meta.result),
      ),
    );
  } else {
    box.replaceChildren();
  }
}

function text(value) {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function el(tag, className, content = '', child) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  if (child) node.append(child);
  return node;
}
