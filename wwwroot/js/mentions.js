// Mentions (PROTOCOL.md §2.4): typing @ in the message box suggests names from the Online list; a message that
// mentions the reader is highlighted, and (like a private message) counts in the title and notifies when hidden.

import { sameName } from './render.js';

const MAX_SUGGESTIONS = 8;

/** Whether <paramref name="event"/> (a message or an edit) mentions <paramref name="me"/>. */
export function mentions(event, me) {
  return Array.isArray(event.mentions) && event.mentions.some(name => sameName(name, me));
}

/** Highlights an entry whose message mentions the reader (and un-highlights one an edit no longer does). */
export function markMention(entry, event, me) {
  const mentioned = mentions(event, me) && !sameName(event.from, me);
  entry.classList.toggle('mentioned', mentioned);
  if (mentioned) entry.dataset.mentioned = 'true'; else delete entry.dataset.mentioned;
}

/** The "@partial" being typed just before the caret, or null. */
export function mentionAt(text, caret) {
  const match = /(?:^|[^\p{L}\p{Nd}_.\-@])@([\p{L}\p{Nd}_.\-]{0,32})$/u.exec(text.slice(0, caret));
  return match ? { start: caret - match[1].length - 1, prefix: match[1] } : null;
}

/** The @ autocomplete of the message box: a listbox under the box, driven by arrows, Enter or Tab, and Escape. */
export class MentionSuggestions {
  /**
   * @param {HTMLTextAreaElement} box the message box
   * @param {() => string[]} names the names to offer (the Online list)
   * @param {string} me the reader, never offered
   */
  constructor(box, names, me) {
    this.box = box;
    this.names = names;
    this.me = me;
    this.options = [];
    this.active = -1;
    this.list = document.createElement('ul');
    this.list.id = 'mention-suggestions';
    this.list.className = 'mention-suggestions';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Mention suggestions');
    this.list.hidden = true;
    box.closest('.composer-row')?.before(this.list);
    box.setAttribute('aria-autocomplete', 'list');
    box.setAttribute('aria-controls', this.list.id);
    box.setAttribute('aria-expanded', 'false');

    box.addEventListener('input', () => this.update());
    box.addEventListener('click', () => this.update());
    box.addEventListener('blur', () => setTimeout(() => this.close(), 150)); // a click on an option lands first
    // Capturing on the form, so the keys that pick a name never reach the box's own Enter (send).
    box.form.addEventListener('keydown', event => this.keydown(event), true);
    this.list.addEventListener('mousedown', event => event.preventDefault()); // keep focus in the box
    this.list.addEventListener('click', event => {
      const option = event.target.closest('[role=option]');
      if (option) this.pick(option.dataset.name);
    });
  }

  get isOpen() { return !this.list.hidden; }

  update() {
    const at = mentionAt(this.box.value, this.box.selectionStart ?? this.box.value.length);
    if (!at) { this.close(); return; }
    const prefix = at.prefix.toLowerCase();
    this.options = this.names()
      .filter(name => !sameName(name, this.me) && name.toLowerCase().startsWith(prefix))
      .slice(0, MAX_SUGGESTIONS);
    if (this.options.length === 0) { this.close(); return; }
    this.active = 0;
    this.draw();
  }

  draw() {
    this.list.replaceChildren(...this.options.map((name, index) => {
      const option = document.createElement('li');
      option.id = `mention-option-${index}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === this.active));
      option.dataset.name = name;
      option.textContent = `@${name}`;
      return option;
    }));
    this.list.hidden = false;
    this.box.setAttribute('aria-expanded', 'true');
    this.box.setAttribute('aria-activedescendant', `mention-option-${this.active}`);
  }

  close() {
    this.list.hidden = true;
    this.options = [];
    this.box.setAttribute('aria-expanded', 'false');
    this.box.removeAttribute('aria-activedescendant');
  }

  keydown(event) {
    if (event.target !== this.box || !this.isOpen || event.isComposing) return;
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step) {
      this.active = (this.active + step + this.options.length) % this.options.length;
      this.draw();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      this.pick(this.options[this.active]);
    } else if (event.key === 'Escape') {
      this.close();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** Replaces the "@partial" before the caret with the whole name and a space. */
  pick(name) {
    const caret = this.box.selectionStart ?? this.box.value.length;
    const at = mentionAt(this.box.value, caret);
    if (!at || !name) { this.close(); return; }
    const inserted = `@${name} `;
    this.box.value = this.box.value.slice(0, at.start) + inserted + this.box.value.slice(caret);
    const end = at.start + inserted.length;
    this.box.setSelectionRange(end, end);
    this.box.dispatchEvent(new Event('input', { bubbles: true })); // the box fits its text; the list closes
    this.close();
    this.box.focus();
  }
}
