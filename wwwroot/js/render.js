// Builds log entries for events from the socket. The markup mirrors ChatApp/Pages/Components/MessageEntry.razor
// (the server's first paint): change both together.

// The types shown inline are the server's (ChatApp/Pages/FileDisplay.cs InlineImageTypeList), given by the page.
let inlineImageTypes;

// Names compare case-insensitively, as on the server.
export const sameName = (a, b) => a != null && b != null && a.toUpperCase() === b.toUpperCase();

// One UTF-16 unit upper-cased on its own, as .NET's OrdinalIgnoreCase does (a letter whose capital is longer stays).
const upperUnit = c => {
  if (c < 128) return c >= 97 && c <= 122 ? c - 32 : c;
  const upper = String.fromCharCode(c).toUpperCase();
  return upper.length === 1 ? upper.charCodeAt(0) : c;
};

// The server's order of names (ChatApp/Chat/Names.cs Comparer, OrdinalIgnoreCase): unit by unit, upper-cased.
// Not localeCompare: that puts "_x" before "ann", where the server, and so the first paint, puts it after "Zed".
export function compareNames(a, b) {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = upperUnit(a.charCodeAt(i)) - upperUnit(b.charCodeAt(i));
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

export function isInlineImage(contentType) {
  inlineImageTypes ??= new Set(document.querySelector('[data-inline-image-types]').dataset.inlineImageTypes.split(' '));
  return inlineImageTypes.has((contentType ?? '').toLowerCase());
}

export const profileUrl = name => `/profile/${encodeURIComponent(name)}`;

// Made once: toLocaleTimeString and toLocaleString build a formatter on every call, the most of a join notice's cost.
const timeFormat = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit' });
// What toLocaleString() shows: the date and the time, numeric.
const fullTimeFormat = new Intl.DateTimeFormat([], { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

export const fullTime = date => fullTimeFormat.format(date);

export function shortTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}

/** Shows every server-rendered time (UTC) in the reader's own time zone. */
export function localizeTimes(root, format = shortTime) {
  for (const time of root.querySelectorAll('time[datetime]')) localizeTime(time, format);
}

function localizeTime(time, format = shortTime) {
  const date = new Date(time.dateTime);
  if (Number.isNaN(date.getTime())) return;
  time.textContent = format(time.dateTime);
  time.title = fullTime(date);
}

/** Bytes for people; ChatApp/Pages/FileDisplay.cs Size() writes the same on the server. */
export function formatSize(bytes) {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return unit === 0 ? `${bytes} B` : `${Math.round(value * 10) / 10} ${units[unit]}`;
}

let badgeExtension;

/**
 * The short label of a file's type icon: its extension. The rule is the server's (ChatApp/Pages/FileDisplay.cs
 * BadgePattern), given by the page, so it is written once.
 */
export function fileBadge(name) {
  badgeExtension ??= new RegExp(document.querySelector('[data-file-badge]').dataset.fileBadge);
  const match = badgeExtension.exec(name ?? '');
  return match ? match[1].toUpperCase() : 'FILE';
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

function profileLink(name, className) {
  const link = element('a', className, name);
  link.href = profileUrl(name);
  return link;
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
  const text = element('span', 'text');
  // Join and part read "ann joined" / "ann left" with the name linking to the profile; other notices as sent.
  if ((event.event === 'join' || event.event === 'part') && event.user) {
    text.append(profileLink(event.user, 'who'), event.event === 'join' ? ' joined' : ' left');
  } else {
    text.textContent = event.text ?? '';
  }
  entry.append(text);
  if (event.to) {
    entry.classList.add('private');
    entry.dataset.private = 'true';
    entry.append(' ', element('span', 'private-tag', '(only you see this)'));
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
  meta.append(profileLink(event.from, 'from'));
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
  if (isInlineImage(event.contentType)) {
    const image = element('img', 'shared-image');
    image.src = event.localUrl ?? event.url; // bytes already here (pushed or uploaded) are not fetched again
    image.alt = event.name;
    image.loading = 'lazy';
    image.dataset.url = event.url;
    image.dataset.size = String(event.size);
    return [image];
  }
  const icon = element('span', 'file-icon', fileBadge(event.name));
  icon.setAttribute('aria-hidden', 'true');
  const link = element('a', 'shared-file', event.name);
  link.href = event.url;
  link.download = event.name;
  return [icon, ' ', link, ' ', element('span', 'size', formatSize(event.size))];
}

/** A message typed here and not yet confirmed by the server's echo. */
export function renderPending({ text, to, clientId }, me) {
  const entry = element('div', 'entry talk mine pending');
  entry.dataset.clientId = clientId;
  entry.dataset.pending = 'true';
  entry.dataset.from = me;
  const meta = element('div', 'meta');
  meta.append(element('span', 'from', me));
  if (to) {
    entry.classList.add('private');
    entry.dataset.to = to;
    meta.append(' ', element('span', 'private-tag', `private to ${to}`));
  }
  meta.append(' ', element('span', 'pending-tag', 'sending…'));
  const body = element('div', 'body');
  body.append(element('p', 'plain', text));
  entry.append(meta, body);
  return entry;
}

/** Turns a pending entry into a refused one: the text stays, with the reason, Retry and Edit. */
export function markFailed(entry, reason) {
  entry.classList.remove('pending');
  entry.classList.add('failed');
  entry.dataset.pending = 'failed';
  entry.querySelector('.pending-tag')?.remove();
  entry.querySelector('.failure')?.remove();
  const failure = element('div', 'failure');
  failure.append(element('span', 'reason', `Not sent: ${reason}`), ' ');
  const retry = element('button', 'retry', 'Retry');
  retry.type = 'button';
  const edit = element('button', 'edit', 'Edit');
  edit.type = 'button';
  edit.title = 'Put the text back in the message box';
  failure.append(retry, ' ', edit);
  entry.append(failure);
}
