// Editing and deleting one's own messages and files (PROTOCOL.md §2.4). Each own entry offers Edit and Delete on
// hover or keyboard focus; ↑ in an empty message box edits the last one. Changes go over HTTP (PATCH and DELETE
// /api/messages/{id}); every tab, this one included, applies the edit and delete events the socket brings.

const MAX_BOX_HEIGHT_PX = 160;

async function request(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message ?? `The server answered ${response.status}.`);
  return answer;
}

function button(className, text, label) {
  const node = document.createElement('button');
  node.type = 'button';
  node.className = className;
  node.textContent = text;
  node.setAttribute('aria-label', label);
  return node;
}

function deletedNote(kind) {
  const note = document.createElement('p');
  note.className = 'deleted-note';
  note.textContent = kind === 'file' ? 'File deleted.' : 'Message deleted.';
  return note;
}

function editedTag(iso) {
  const tag = document.createElement('span');
  tag.className = 'edited-tag';
  tag.textContent = '(edited)';
  const date = new Date(iso);
  if (!Number.isNaN(date.getTime())) tag.title = `Edited ${date.toLocaleString()}`;
  return tag;
}

export class Edits {
  /**
   * @param {HTMLElement} log the conversation
   * @param {(entry: HTMLElement, event: object) => void} onChanged called after an edit changed an entry (mentions)
   * @param {() => HTMLTextAreaElement} messageBox the composer's box, focused again when an edit ends
   */
  constructor(log, { onChanged = () => {}, messageBox = null } = {}) {
    this.log = log;
    this.onChanged = onChanged;
    this.messageBox = messageBox;
    this.texts = new Map(); // id -> the Markdown text of one's own messages, for the editor
    for (const entry of log.querySelectorAll('.entry.mine[data-id]')) this.decorate(entry);
    log.addEventListener('click', event => this.click(event));
  }

  /** Marks an entry built from <paramref name="event"/>: deleted, edited, and (one's own) its Edit and Delete buttons. */
  decorate(entry, event = null) {
    if (event?.deleted) { this.showDeleted(entry); return; }
    if (event?.edited && !entry.querySelector('.edited-tag')) entry.querySelector('.body')?.append(editedTag(event.edited));
    if (event?.type === 'message' && entry.classList.contains('mine')) this.texts.set(Number(entry.dataset.id), event.text);
    if (!entry.classList.contains('mine') || entry.dataset.deleted === 'true' || entry.dataset.pending || entry.querySelector(':scope > .actions')) return;
    const actions = document.createElement('div');
    actions.className = 'actions';
    const file = entry.dataset.kind === 'file';
    if (!file) actions.append(button('edit-message', 'Edit', 'Edit message'));
    actions.append(button('delete-message', 'Delete', file ? 'Delete file' : 'Delete message'));
    entry.append(actions);
  }

  /** An edit or delete event (live, replayed, or the answer to this page's own request). */
  apply(event) {
    const entry = this.log.querySelector(`[data-id="${CSS.escape(String(event.target))}"]`);
    if (!entry || entry.dataset.deleted === 'true') return;
    if (event.type === 'delete') { this.showDeleted(entry); return; }
    if (entry.dataset.editing === 'true') this.closeEditor(entry);
    const body = entry.querySelector('.body');
    body.innerHTML = event.html ?? ''; // the server's Markdown rendering: raw HTML escaped, links allow-listed
    body.append(editedTag(event.ts));
    if (entry.classList.contains('mine')) this.texts.set(event.target, event.text);
    this.onChanged(entry, event);
  }

  showDeleted(entry) {
    if (entry.dataset.editing === 'true') this.closeEditor(entry);
    entry.dataset.deleted = 'true';
    entry.classList.add('deleted');
    entry.classList.remove('mentioned');
    entry.querySelector('.body')?.replaceChildren(deletedNote(entry.dataset.kind));
    entry.querySelector('.edited-tag')?.remove();
    entry.querySelector(':scope > .actions')?.remove();
    this.texts.delete(Number(entry.dataset.id));
  }

  /** ↑ in an empty box: edits one's newest message shown. False when there is none. */
  editLast() {
    const mine = [...this.log.querySelectorAll('.entry.mine[data-kind="message"][data-id]:not([data-deleted="true"])')]
      .filter(entry => !entry.dataset.pending);
    const last = mine[mine.length - 1];
    if (!last) return false;
    this.openEditor(last);
    return true;
  }

  click(event) {
    const entry = event.target.closest('.entry[data-id]');
    if (!entry) return;
    if (event.target.closest('button.edit-message')) this.openEditor(entry);
    else if (event.target.closest('button.delete-message')) this.askDelete(entry);
    else if (event.target.closest('button.confirm-delete')) this.delete(entry);
    else if (event.target.closest('button.keep')) this.restoreActions(entry);
  }

  askDelete(entry) {
    const actions = entry.querySelector(':scope > .actions');
    const question = document.createElement('span');
    question.className = 'question';
    question.textContent = entry.dataset.kind === 'file' ? 'Delete this file?' : 'Delete this message?';
    const confirm = button('confirm-delete danger', 'Delete', 'Yes, delete');
    actions.replaceChildren(question, confirm, button('keep', 'Keep', 'Keep it'));
    actions.classList.add('asking');
    confirm.focus();
  }

  restoreActions(entry) {
    entry.querySelector(':scope > .actions')?.remove();
    this.decorate(entry);
    entry.querySelector(':scope > .actions button')?.focus();
  }

  async delete(entry) {
    const actions = entry.querySelector(':scope > .actions');
    actions.querySelectorAll('button').forEach(b => { b.disabled = true; });
    try {
      this.apply(await request('DELETE', `/api/messages/${entry.dataset.id}`));
      this.messageBox?.focus();
    } catch (error) {
      this.restoreActions(entry);
      this.showError(entry, `Not deleted: ${error.message}`);
    }
  }

  async openEditor(entry) {
    if (entry.dataset.editing === 'true') { entry.querySelector('.edit-box')?.focus(); return; }
    const id = Number(entry.dataset.id);
    let text = this.texts.get(id);
    if (text == null) {
      try { text = await this.fetchText(id); } catch (error) { this.showError(entry, error.message); return; }
    }
    entry.dataset.editing = 'true';
    const form = document.createElement('form');
    form.className = 'edit-form';
    const box = document.createElement('textarea');
    box.className = 'edit-box';
    box.setAttribute('aria-label', 'Edit message');
    box.value = text;
    box.rows = 1;
    const error = document.createElement('p');
    error.className = 'field-error';
    error.setAttribute('role', 'alert');
    const save = document.createElement('button');
    save.type = 'submit';
    save.className = 'primary';
    save.textContent = 'Save';
    const cancel = button('cancel-edit', 'Cancel', 'Cancel edit');
    const row = document.createElement('div');
    row.className = 'edit-row';
    row.append(save, cancel);
    form.append(box, error, row);
    entry.querySelector('.body').hidden = true;
    entry.querySelector(':scope > .actions')?.setAttribute('hidden', '');
    entry.querySelector('.body').after(form);

    const fit = () => { box.style.height = 'auto'; box.style.height = `${Math.min(box.scrollHeight, MAX_BOX_HEIGHT_PX)}px`; };
    box.addEventListener('input', fit);
    box.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
      else if (event.key === 'Escape') { event.preventDefault(); this.closeEditor(entry); this.messageBox?.focus(); }
    });
    cancel.addEventListener('click', () => { this.closeEditor(entry); this.messageBox?.focus(); });
    form.addEventListener('submit', event => { event.preventDefault(); this.save(entry, box, error); });
    fit();
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
    entry.scrollIntoView({ block: 'nearest' });
  }

  async save(entry, box, error) {
    const id = Number(entry.dataset.id);
    const text = box.value;
    if (text === this.texts.get(id)) { this.closeEditor(entry); this.messageBox?.focus(); return; }
    if (text.trim() === '') { error.textContent = 'A message cannot be empty; delete it instead.'; return; }
    box.disabled = true;
    try {
      this.apply(await request('PATCH', `/api/messages/${id}`, { text }));
      this.closeEditor(entry);
      this.messageBox?.focus();
    } catch (failure) {
      box.disabled = false;
      error.textContent = `Not saved: ${failure.message}`;
      box.focus();
    }
  }

  closeEditor(entry) {
    entry.querySelector('.edit-form')?.remove();
    const body = entry.querySelector('.body');
    if (body) body.hidden = false;
    entry.querySelector(':scope > .actions')?.removeAttribute('hidden');
    delete entry.dataset.editing;
  }

  /** A server-rendered message's Markdown text: the event itself, read back (the page only has its HTML). */
  async fetchText(id) {
    const response = await fetch(`/api/messages?since=${id - 1}&limit=1`, { credentials: 'same-origin', cache: 'no-store' });
    const [event] = response.ok ? await response.json() : [];
    if (!event || event.id !== id || event.text == null) throw new Error('This message can no longer be edited.');
    this.texts.set(id, event.text);
    return event.text;
  }

  showError(entry, message) {
    let line = entry.querySelector(':scope > .entry-error');
    if (!line) {
      line = document.createElement('p');
      line.className = 'field-error entry-error';
      line.setAttribute('role', 'alert');
      entry.append(line);
    }
    line.textContent = message;
  }
}
