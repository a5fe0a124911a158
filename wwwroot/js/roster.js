// The Online list: set once from the roster frame, then kept current by join and part events. Each name starts
// a private message (its button) and links to its profile (chat.css draws the link's icon); the reader's own name
// only links. The markup is ChatApp/Pages/Components/OnlineEntry.cs's, the server's first paint. A join or a part
// changes one entry: in a room of thousands, redrawing the whole list for each of a storm's joins froze the page.

import { sameName, compareNames, profileUrl } from './render.js';

export class Roster {
  /** @param {(name: string) => void} onPick called when the reader picks a name (a private message to them) */
  constructor(list, count, me, onPick) {
    this.list = list;
    this.count = count;
    this.me = me;
    // In the server's order already (the first paint); list.children[i] is the entry of names[i].
    this.names = [...list.querySelectorAll('li[data-user]')].map(item => item.dataset.user);
    list.addEventListener('click', event => {
      const button = event.target.closest('button.user');
      if (button) onPick(button.closest('li').dataset.user);
    });
  }

  set(names) {
    this.names = [...new Set(names)].sort(compareNames);
    this.stale(false);
    // Keep keyboard focus on the same name when the list is redrawn.
    const focused = document.activeElement?.closest?.('#online li')?.dataset.user;
    this.list.replaceChildren(...this.names.map(name => this.entry(name)));
    if (focused) this.list.querySelector(`li[data-user="${CSS.escape(focused)}"] button`)?.focus();
    this.counted();
  }

  add(name) {
    const at = this.find(name);
    if (at >= 0) return;
    this.names.splice(~at, 0, name);
    this.list.insertBefore(this.entry(name), this.list.children[~at] ?? null);
    this.counted();
  }

  remove(name) {
    const at = this.find(name);
    if (at < 0) return;
    this.names.splice(at, 1);
    this.list.children[at].remove();
    this.counted();
  }

  /** While disconnected the list is only what was last known: shown so, until the next roster. */
  stale(isStale) {
    this.list.closest('.online-panel')?.toggleAttribute('data-stale', isStale);
    this.list.setAttribute('aria-description', isStale ? 'last known, not current while the connection is lost' : '');
  }

  /** Where name is listed, or (negative) the complement of where it would go: a binary search, as the server's. */
  find(name) {
    let low = 0;
    let high = this.names.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const order = compareNames(this.names[middle], name);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return ~low;
  }

  entry(name) {
    const item = document.createElement('li');
    item.setAttribute('aria-label', name);
    item.dataset.user = name;
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
    profile.title = `${name}’s profile`;
    profile.setAttribute('aria-label', `${name}’s profile`);
    item.append(button, profile);
    return item;
  }

  counted() {
    this.count.textContent = String(this.names.length);
  }
}
