// The Online list: set once from the roster frame, then kept current by join and part events. Each name starts
// a private message (its button) and links to its profile; the reader's own name only links.

import { sameName, profileUrl } from './render.js';

// A person outline, the same as in ChatApp/Pages/Components/OnlineEntry.cs.
const PROFILE_ICON = '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><circle cx="8" cy="5" r="3" fill="currentColor"/><path d="M2 15c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5z" fill="currentColor"/></svg>';

export class Roster {
  /** @param {(name: string) => void} onPick called when the reader picks a name (a private message to them) */
  constructor(list, count, me, onPick) {
    this.list = list;
    this.count = count;
    this.me = me;
    this.names = [...list.querySelectorAll('li[data-user]')].map(item => item.dataset.user);
    list.addEventListener('click', event => {
      const button = event.target.closest('button.user');
      if (button) onPick(button.closest('li').dataset.user);
    });
  }

  set(names) {
    this.names = [...new Set(names)];
    this.stale(false);
    this.draw();
  }

  add(name) {
    if (this.names.some(n => sameName(n, name))) return;
    this.names.push(name);
    this.draw();
  }

  remove(name) {
    this.names = this.names.filter(n => !sameName(n, name));
    this.draw();
  }

  /** While disconnected the list is only what was last known: shown so, until the next roster. */
  stale(isStale) {
    this.list.closest('.online-panel')?.toggleAttribute('data-stale', isStale);
    this.list.setAttribute('aria-description', isStale ? 'last known, not current while the connection is lost' : '');
  }

  draw() {
    this.names.sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
    const items = this.names.map(name => {
      const item = document.createElement('li');
      item.dataset.user = name;
      item.setAttribute('aria-label', name);
      const self = sameName(name, this.me);
      if (self) item.className = 'me';
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'user';
      button.textContent = name;
      if (self) {
        button.disabled = true;
        button.title = 'You';
      } else {
        button.title = `Private message to ${name}`;
      }
      const profile = document.createElement('a');
      profile.className = 'profile-link';
      profile.href = profileUrl(name);
      profile.innerHTML = PROFILE_ICON;
      profile.title = `${name}’s profile`;
      profile.setAttribute('aria-label', `${name}’s profile`);
      item.append(button, profile);
      return item;
    });
    // Keep keyboard focus on the same name when the list is redrawn.
    const focused = document.activeElement?.closest?.('#online li')?.dataset.user;
    this.list.replaceChildren(...items);
    if (focused) this.list.querySelector(`li[data-user="${CSS.escape(focused)}"] button`)?.focus();
    this.count.textContent = String(this.names.length);
  }
}
