// Builds log entries for events from the socket. The markup mirrors ChatApp/Pages/Components/MessageEntry.razor
// (the server's first paint): change both together.

// Only raster formats show inline: an SVG could carry script.
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

// Names compare case-insensitively, as on the server.
export const sameName = (a, b) => a != null && b != null && a.toUpperCase() === b.toUpperCase();

export function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Shows every server-rendered time (UTC) in the reader's own time zone. */
export function localizeTimes(root) {
  for (const time of root.querySelectorAll('time[datetime]')) localizeTime(time);
}

function localizeTime(time) {
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) return;
  time.textContent = shortTime(time.dateTime);
  time.title = date.toLocaleString();
}

export function formatSize(bytes) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${bytes} B` : `${Math.round(value * 10) / 10} ${units[unit]}`;
}

/** Whom a reply to a private event goes to: the recipient of one's own, else the sender. */
export function otherParty(event, me) {
  return sameName(event.from, me) ? event.to : event.from;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = text;
  return node;
}

function timeElement(iso) {
  const time = element('time');
  time.dateTime = iso;
  localizeTime(time);
  return time;
}

/** One log entry for a server event (message, file or system). */
export function renderEvent(event, me) {
  return event.type === 'system' ? renderSystem(event) : renderTalk(event, me);
}

function renderSystem(event) {
  const entry = element('div', 'entry system');
  entry.dataset.id = String(event.id);
  entry.dataset.kind = 'system';
  entry.dataset.event = event.event ?? '';
  entry.dataset.user = event.user ?? '';
  entry.append(element('span', 'text', event.text));
  if (event.to) {
    entry.classList.add('private');
    entry.dataset.private = 'true';
    entry.append(' ', element('span', 'private-tag', 'only you'));
  }
  entry.append(' ', timeElement(event.ts));
  return entry;
}

function renderTalk(event, me) {
  const mine = sameName(event.from, me);
  const entry = element('div', 'entry talk');
  if (mine) entry.classList.add('mine');
  entry.dataset.id = String(event.id);
  entry.dataset.kind = event.type;
  entry.dataset.from = event.from;
  if (event.clientId) entry.dataset.clientId = event.clientId;

  const meta = element('div', 'meta');
  meta.append(element('span', 'from', event.from));
  if (event.to) {
    entry.classList.add('private');
    entry.dataset.private = 'true';
    entry.dataset.to = event.to;
    meta.append(' ', element('span', 'private-tag', mine ? `private to ${event.to}` : 'private to you'));
  }
  meta.append(' ', timeElement(event.ts));
  if (event.to) {
    const other = otherParty(event, me);
    const reply = element('button', 'reply', 'Reply');
    reply.type = 'button';
    reply.dataset.reply = other;
    reply.title = `Reply privately to ${other}`;
    meta.append(' ', reply);
  }

  const body = element('div', 'body');
  if (event.type === 'file') body.append(...renderFile(event));
  else body.innerHTML = event.html ?? ''; // the server's Markdown rendering: raw HTML escaped, links allow-listed
  entry.append(meta, body);
  return entry;
}

function renderFile(event) {
  if (INLINE_IMAGE_TYPES.has((event.contentType ?? '').toLowerCase())) {
    const image = element('img', 'shared-image');
    image.src = event.url;
    image.alt = event.name;
    image.loading = 'lazy';
    return [image];
  }
  const link = element('a', 'shared-file', event.name);
  link.href = event.url;
  link.download = event.name;
  return [link, ' ', element('span', 'size', formatSize(event.size))];
}

/** A message typed here and not yet confirmed by the server's echo. */
export function renderPending({ text, to, clientId }, me) {
  const entry = element('div', 'entry talk mine pending');
  entry.dataset.clientId = clientId;
  entry.dataset.pending = 'true';
  const meta = element('div', 'meta');
  meta.append(element('span', 'from', me));
  if (to) {
    entry.classList.add('private');
    entry.dataset.to = to;
    meta.append(' ', element('span', 'private-tag', `private to ${to}`));
  }
  meta.append(' ', element('span', 'pending-tag', 'sending…'));
  const body = element('div', 'body');
  const paragraph = element('p', 'plain', text);
  body.append(paragraph);
  entry.append(meta, body);
  return entry;
}
