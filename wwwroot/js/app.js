// The live chat client: upgrades the server-rendered page (history, forms) once the script runs.

import { ChatSocket, newClientId } from './socket.js';
import { renderEvent, renderPending, localizeTimes, sameName } from './render.js';
import { Composer } from './input.js';
import { Roster } from './roster.js';
import { StickyScroll } from './scroll.js';
import { Notifier } from './notify.js';
import { initAccount } from './account.js';
import { Edits } from './edits.js';
import { MentionSuggestions, markMention, mentions } from './mentions.js';
import { Search } from './search.js';

// A tab left open for days would otherwise hold every message in the DOM; older ones stay a reload away.
const MAX_LOG_ENTRIES = 2000;

const me = document.body.dataset.user;
const log = document.getElementById('messages');
const status = document.getElementById('connection');
const attachButton = document.getElementById('attach');
const messageBox = document.getElementById('message-box');

const shown = new Set([...log.querySelectorAll('[data-id]')].map(entry => Number(entry.dataset.id)));
const drafts = new Map(); // clientId -> { text, to }: what to give back if the server refuses it
const scroll = new StickyScroll(log, document.getElementById('new-messages'));
const notifier = new Notifier(document.getElementById('enable-notifications'));
const composer = new Composer(document.getElementById('composer'), sendMessage);
const roster = new Roster(document.getElementById('online'), document.querySelector('.online-count'), me, pickUser);
const edits = new Edits(log, { onChanged: (entry, event) => markMention(entry, event, me), messageBox });
new Search({ log, bar: document.querySelector('.topbar'), show: showEvents });
new MentionSuggestions(messageBox, () => roster.names, me);
const socket = new ChatSocket({ onEvent, onRoster, onReplayed, onError, onState, onWelcome, onStuck }, Number(log.dataset.since) || 0);

localizeTimes(log);
scroll.toBottom();
initAccount();
log.addEventListener('click', event => {
  const reply = event.target.closest('button.reply');
  if (reply) pickUser(reply.dataset.reply);
});
window.addEventListener('online', () => socket.retryNow());
// ↑ in an empty box edits one's last message.
messageBox.addEventListener('keydown', event => {
  if (event.key === 'ArrowUp' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey
      && messageBox.value === '' && edits.editLast()) event.preventDefault();
});
socket.connect();
composer.focus();

// Drag-and-drop and the file picker live in uploads.js (its own concern); the page works without it.
import('./uploads.js')
  .then(module => {
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = '/css/uploads.css';
    document.head.append(style);
    attachButton.hidden = false;
    module.initUploads({
      log,
      attachButton,
      messageBox,
      sendFile,
      recipient: () => composer.target,
      maxFileBytes: Number(document.body.dataset.maxFileBytes) || undefined,
    });
  })
  .catch(() => {});

function sendFile(file, options = {}) {
  return socket.sendFile(file, { ...options, to: options.to ?? composer.target, clientId: options.clientId ?? newClientId() });
}

function pickUser(name) {
  composer.setTarget(name);
  composer.focus();
}

function sendMessage({ text, to }) {
  const clientId = newClientId();
  drafts.set(clientId, { text, to });
  const pending = renderPending({ text, to, clientId }, me);
  scroll.add(() => log.append(pending), { own: true });
  socket.sendMessage({ text, to, clientId });
}

/** Puts an entry in id order, above any messages still waiting for their echo. */
function place(entry, id) {
  let before = log.lastElementChild;
  while (before && (before.dataset.pending === 'true' || Number(before.dataset.id) > id)) before = before.previousElementSibling;
  log.insertBefore(entry, before ? before.nextElementSibling : log.firstElementChild);
}

/** Events loaded over HTTP (search context): entries in id order, edits and deletions applied. */
function showEvents(events) {
  for (const event of events) {
    if (event.type === 'edit' || event.type === 'delete') { edits.apply(event); continue; }
    if (shown.has(event.id)) continue;
    shown.add(event.id);
    const entry = renderEvent(event, me);
    edits.decorate(entry, event);
    markMention(entry, event, me);
    place(entry, event.id);
  }
}

function onEvent(event) {
  if (event.type === 'edit' || event.type === 'delete') { edits.apply(event); return; }
  const own = sameName(event.from, me);
  const pending = own && event.clientId
    ? log.querySelector(`[data-pending="true"][data-client-id="${CSS.escape(event.clientId)}"]`)
    : null;
  if (event.clientId) drafts.delete(event.clientId);
  if (shown.has(event.id)) { pending?.remove(); return; } // a replay after reconnect never shows anything twice
  shown.add(event.id);
  const entry = renderEvent(event, me);
  edits.decorate(entry, event);
  markMention(entry, event, me);
  scroll.add(() => {
    pending?.remove();
    place(entry, event.id);
  }, { own: pending !== null });
  if (scroll.stuck) while (log.childElementCount > MAX_LOG_ENTRIES) log.firstElementChild.remove();

  if (event.type === 'system' && !event.replay) {
    if (event.event === 'join') roster.add(event.user);
    else if (event.event === 'part') roster.remove(event.user);
  }
  if (event.type === 'system' && event.event === 'profile') notifier.alert('Profile visit', event.text);
  else if (event.to && !own) notifier.alert(`${event.from} (private)`, event.type === 'file' ? event.name : event.text);
  else if (mentions(event, me) && !own) notifier.alert(`${event.from} mentioned you`, event.text);
}

function onRoster(users) {
  roster.set(users);
}

function onReplayed() {
  composer.showError('');
}

function onError(frame) {
  const draft = frame.clientId ? drafts.get(frame.clientId) : null;
  if (frame.clientId && !draft) return; // a file's refusal: uploads.js shows it beside the file
  if (draft) {
    drafts.delete(frame.clientId);
    log.querySelector(`[data-pending="true"][data-client-id="${CSS.escape(frame.clientId)}"]`)?.remove();
    // Give the text back as it was typed, so a mistyped /msg name can be fixed in place.
    const typed = draft.to && draft.to !== composer.target ? `/msg ${draft.to} ${draft.text}` : draft.text;
    composer.restore(typed);
  }
  composer.showError(`Not sent: ${frame.message ?? frame.code}`);
}

function onState(state, detail) {
  document.body.dataset.connection = state;
  if (state === 'open') status.textContent = '';
  else if (state === 'connecting') status.textContent = document.body.dataset.dropped ? 'Reconnecting…' : 'Connecting…';
  else {
    document.body.dataset.dropped = 'true';
    const seconds = Math.max(1, Math.round(detail.retryInMs / 1000));
    status.textContent = `Connection lost — retrying in ${seconds} s. Messages you send now are kept and sent when it is back.`;
  }
}

/** Signed in as someone else meanwhile (another tab): the page belongs to that user now. */
function onWelcome(frame) {
  if (!sameName(frame.user, me)) location.reload();
}

/** The socket keeps failing: when the server answers but no longer knows this browser, show the join form. */
async function onStuck() {
  try {
    const response = await fetch('/', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok && !(await response.text()).includes('data-user=')) location.reload();
  } catch {
    // The server is down: keep retrying.
  }
}
