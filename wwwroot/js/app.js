// The live chat client: upgrades the server-rendered page (history, forms) once the script runs.

import { ChatSocket, newClientId } from './socket.js';
import { renderEvent, renderPending, markFailed, localizeTimes, sameName, isInlineImage } from './render.js';
import { arrange, arrangeAll } from './grouping.js';
import { Composer } from './input.js';
import { Roster } from './roster.js';
import { StickyScroll } from './scroll.js';
import { History } from './history.js';
import { initLightbox } from './lightbox.js';
import { Notifier } from './notify.js';
import { initAccount } from './account.js';
import { Edits } from './edits.js';
import { MentionSuggestions, markMention, mentions } from './mentions.js';
import { Search } from './search.js';

// A tab left open for days would otherwise hold every message in the DOM; older ones load again on scrolling up.
const MAX_LOG_ENTRIES = 2000;
const BACK_ONLINE_NOTE_MS = 4000;

const me = document.body.dataset.user;
const log = document.getElementById('messages');
const status = document.getElementById('connection');
const attachButton = document.getElementById('attach');
const messageBox = document.getElementById('message-box');

const shown = new Set([...log.querySelectorAll('[data-id]')].map(entry => Number(entry.dataset.id)));
const drafts = new Map(); // clientId -> { text, to }: what a refused send shows again
const ownFiles = new Map(); // clientId -> File this page uploaded: shown from its bytes when the echo comes
const scroll = new StickyScroll(log, document.getElementById('new-messages'));
const notifier = new Notifier(document.getElementById('enable-notifications'));
const composer = new Composer(document.getElementById('composer'), sendMessage, me);
const roster = new Roster(document.getElementById('online'), document.querySelector('.online-count'), me, pickUser);
const history = new History(log, renderOnce, arrange);
const edits = new Edits(log, { onChanged: (entry, event) => markMention(entry, event, me), messageBox });
new Search({ log, bar: document.querySelector('.topbar'), show: showEvents, gap: (after, before) => history.showGap(after, before) });
new MentionSuggestions(messageBox, () => roster.names, me);
const socket = new ChatSocket({ onEvent, onRoster, onReplayed, onError, onState, onWelcome, onStuck }, Number(log.dataset.since) || 0);
let countdown = 0;
let backOnlineTimer = 0;

localizeTimes(log);
arrangeAll(log);
scroll.toBottom();
initAccount();
initLightbox(log);
log.addEventListener('click', event => {
  const reply = event.target.closest('button.reply');
  if (reply) pickUser(reply.dataset.reply);
  const failed = event.target.closest('.entry.failed');
  if (failed && event.target.closest('button.retry')) retry(failed);
  if (failed && event.target.closest('button.edit')) edit(failed);
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
  const clientId = options.clientId ?? newClientId();
  ownFiles.set(clientId, file);
  return socket.sendFile(file, { ...options, to: options.to ?? composer.target, clientId })
    .finally(() => ownFiles.delete(clientId));
}

function pickUser(name) {
  composer.setTarget(name);
  composer.focus();
}

function sendMessage({ text, to }) {
  const clientId = newClientId();
  drafts.set(clientId, { text, to });
  const pending = renderPending({ text, to, clientId }, me);
  scroll.add(() => { log.append(pending); arrange(pending); }, { own: true });
  socket.sendMessage({ text, to, clientId });
}

function retry(failed) {
  const draft = drafts.get(failed.dataset.clientId);
  failed.remove();
  drafts.delete(failed.dataset.clientId);
  if (draft) sendMessage(draft);
}

function edit(failed) {
  const draft = drafts.get(failed.dataset.clientId);
  failed.remove();
  drafts.delete(failed.dataset.clientId);
  if (!draft) return;
  composer.restore(draft.to && draft.to !== composer.target ? `/msg ${draft.to} ${draft.text}` : draft.text);
  composer.focus();
}

/** An entry for an event not shown yet, else null: a replay or a history page never shows anything twice. */
function renderOnce(event) {
  // An edit or deletion changes an entry shown already; pages of history hold their messages as they are now.
  if (event.type === 'edit' || event.type === 'delete') { edits.apply(event); return null; }
  if (shown.has(event.id)) return null;
  shown.add(event.id);
  const entry = renderEvent(event, me);
  edits.decorate(entry, event);
  markMention(entry, event, me);
  return entry;
}

/** Puts an entry in id order, above any messages still waiting for their echo (or refused). */
function place(entry, id) {
  let before = log.lastElementChild;
  while (before && !(before.dataset.id && before.dataset.pending !== 'true' && Number(before.dataset.id) < id)) before = before.previousElementSibling;
  if (before) before.after(entry);
  else history.top.after(entry);
  arrange(entry);
}

/** Events loaded over HTTP (search context): entries in id order, edits and deletions applied. */
function showEvents(events) {
  for (const event of events) {
    const entry = renderOnce(event);
    if (entry) place(entry, event.id);
  }
}

function onEvent(event, bytes) {
  if (event.type === 'edit' || event.type === 'delete') { edits.apply(event); return; }
  const own = sameName(event.from, me);
  const pending = own && event.clientId
    ? log.querySelector(`[data-pending][data-client-id="${CSS.escape(event.clientId)}"]`)
    : null;
  if (own && event.clientId && drafts.has(event.clientId) && !event.replay) composer.clearError(); // the next send succeeded
  if (event.clientId && !pending?.classList.contains('failed')) drafts.delete(event.clientId);
  if (event.type === 'file') {
    const file = ownFiles.get(event.clientId);
    if (file && isInlineImage(event.contentType)) event.localUrl = URL.createObjectURL(file);
    else if (bytes && isInlineImage(event.contentType)) event.localUrl = URL.createObjectURL(new Blob([bytes], { type: event.contentType }));
  }
  const entry = renderOnce(event);
  if (!entry) { if (!pending?.classList.contains('failed')) pending?.remove(); return; }
  scroll.add(() => {
    pending?.remove();
    place(entry, event.id);
  }, { own: pending !== null });
  if (scroll.stuck) trim();

  if (event.type === 'system' && !event.replay) {
    if (event.event === 'join') roster.add(event.user);
    else if (event.event === 'part') roster.remove(event.user);
  }
  if (event.type === 'system' && event.event === 'profile') notifier.alert('Profile visit', event.text);
  else if (event.to && !own) notifier.alert(`${event.from} (private)`, event.type === 'file' ? event.name : event.text);
  else if (mentions(event, me) && !own) notifier.alert(`${event.from} mentioned you`, event.text);
}

function trim() {
  let excess = log.querySelectorAll(':scope > [data-id]').length - MAX_LOG_ENTRIES;
  while (excess-- > 0) {
    const oldest = log.querySelector(':scope > [data-id]');
    shown.delete(Number(oldest.dataset.id)); // scrolling up loads it again
    const separator = oldest.previousElementSibling;
    if (separator?.classList.contains('day-separator')) separator.remove();
    oldest.remove();
    history.done = false;
    history.button.hidden = false;
  }
}

function onRoster(users) {
  roster.set(users);
}

function onReplayed({ truncated, since, firstId }) {
  if (truncated && firstId) history.showGap(since, firstId);
}

function onError(frame) {
  const draft = frame.clientId ? drafts.get(frame.clientId) : null;
  if (frame.clientId && !draft) return; // a file's refusal: uploads.js shows it beside the file
  const reason = frame.message ?? frame.code;
  if (draft) {
    const entry = log.querySelector(`[data-pending][data-client-id="${CSS.escape(frame.clientId)}"]`);
    if (entry) {
      markFailed(entry, reason);
      arrange(entry);
      scroll.add(() => {}, { own: true }); // a refusal is never left below the fold
    }
    // A mistyped /msg name is fixed in place: the text goes back to the box, as it was typed.
    if (frame.code === 'unknown_user') composer.restore(draft.to && draft.to !== composer.target ? `/msg ${draft.to} ${draft.text}` : draft.text);
  }
  composer.showError(`Not sent: ${reason}`);
}

function onState(state, detail) {
  const wasDropped = document.body.dataset.dropped === 'true';
  document.body.dataset.connection = state;
  clearInterval(countdown);
  clearTimeout(backOnlineTimer);
  if (state === 'open') {
    roster.stale(false);
    status.textContent = wasDropped ? 'Connected again.' : '';
    status.dataset.kind = wasDropped ? 'ok' : '';
    if (wasDropped) backOnlineTimer = setTimeout(() => { status.textContent = ''; }, BACK_ONLINE_NOTE_MS);
  } else if (state === 'connecting') {
    status.dataset.kind = '';
    status.textContent = wasDropped ? 'Reconnecting…' : 'Connecting…';
  } else {
    document.body.dataset.dropped = 'true';
    status.dataset.kind = '';
    roster.stale(true);
    const retryAt = Date.now() + detail.retryInMs;
    const show = () => {
      const seconds = Math.max(1, Math.ceil((retryAt - Date.now()) / 1000));
      status.textContent = `Connection lost — retrying in ${seconds} s. Messages you send now are kept and sent when it is back.`;
    };
    show();
    countdown = setInterval(show, 250);
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
