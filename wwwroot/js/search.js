// Search (PROTOCOL.md §3, GET /api/search): a search box in the top bar; its results, newest first, jump to the
// message in the conversation, loading the history around it when the log does not hold it yet.

import { shortTime } from './render.js';

const RESULT_LIMIT = 30;
const CONTEXT_BEFORE = 10; // events shown above a found message that was not in the log
const PAGE_SIZE = 100;
const MAX_FORWARD_PAGES = 5; // beyond this the rest stays a gap, filled on request
const FOUND_HIGHLIGHT_MS = 2500;

async function getJson(url) {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.message ?? `The server answered ${response.status}.`);
  return body;
}

export class Search {
  /**
   * @param {object} options
   * @param {HTMLElement} options.log the conversation
   * @param {HTMLElement} options.bar where the search box goes (the top bar)
   * @param {(events: object[]) => void} options.show puts loaded events in the log (entries in id order, edits applied)
   * @param {(afterId: number, beforeId: number) => void} [options.gap] marks history left unloaded between two ids
   */
  constructor({ log, bar, show, gap = () => {} }) {
    this.log = log;
    this.show = show;
    this.gap = gap;

    this.form = document.createElement('form');
    this.form.className = 'search';
    this.form.setAttribute('role', 'search');
    this.input = document.createElement('input');
    this.input.type = 'search';
    this.input.placeholder = 'Search';
    this.input.setAttribute('aria-label', 'Search messages');
    this.input.maxLength = 200;
    this.input.autocomplete = 'off';
    this.form.append(this.input);

    this.panel = document.createElement('section');
    this.panel.className = 'search-results';
    this.panel.setAttribute('aria-label', 'Search results');
    this.panel.hidden = true;
    const head = document.createElement('div');
    head.className = 'search-head';
    this.status = document.createElement('p');
    this.status.className = 'search-status';
    this.status.setAttribute('role', 'status');
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'quiet close-search';
    close.textContent = 'Close';
    close.setAttribute('aria-label', 'Close search results');
    head.append(this.status, close);
    this.list = document.createElement('ol');
    this.list.className = 'search-hits';
    this.panel.append(head, this.list);

    const brand = bar.querySelector('.brand');
    if (brand) brand.after(this.form); else bar.prepend(this.form);
    bar.append(this.panel); // positioned under the bar, over the conversation

    this.form.addEventListener('submit', event => { event.preventDefault(); this.run(); });
    this.input.addEventListener('keydown', event => { if (event.key === 'Escape') this.close(); });
    this.panel.addEventListener('keydown', event => { if (event.key === 'Escape') { this.close(); this.input.focus(); } });
    close.addEventListener('click', () => { this.close(); this.input.focus(); });
    this.list.addEventListener('click', event => {
      const hit = event.target.closest('button.search-hit');
      if (hit) this.jumpTo(Number(hit.dataset.id));
    });
  }

  async run() {
    const q = this.input.value.trim();
    if (!q) { this.close(); return; }
    this.panel.hidden = false;
    this.status.textContent = 'Searching…';
    this.list.replaceChildren();
    try {
      const hits = await getJson(`/api/search?q=${encodeURIComponent(q)}&limit=${RESULT_LIMIT}`);
      this.status.textContent = hits.length === 0 ? `Nothing matches “${q}”.`
        : `${hits.length}${hits.length === RESULT_LIMIT ? '+' : ''} ${hits.length === 1 ? 'match' : 'matches'} for “${q}”, newest first`;
      this.list.replaceChildren(...hits.map(hit => this.renderHit(hit)));
    } catch (error) {
      this.status.textContent = `Search failed: ${error.message}`;
    }
  }

  renderHit(hit) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'search-hit';
    button.dataset.id = String(hit.id);
    const meta = document.createElement('span');
    meta.className = 'hit-meta';
    const from = document.createElement('strong');
    from.textContent = hit.from;
    const time = document.createElement('time');
    time.dateTime = hit.ts;
    time.textContent = `${new Date(hit.ts).toLocaleDateString()} ${shortTime(hit.ts)}`;
    meta.append(from, ' ', time);
    if (hit.to) meta.append(' ', Object.assign(document.createElement('span'), { className: 'private-tag', textContent: 'private' }));
    const snippet = document.createElement('span');
    snippet.className = 'hit-snippet';
    snippet.innerHTML = hit.snippet; // escaped by the server, matches in <mark>
    if (hit.type === 'file') snippet.prepend('📎 ');
    button.append(meta, snippet);
    item.append(button);
    return item;
  }

  close() {
    this.panel.hidden = true;
  }

  /** Shows message <paramref name="id"/> in the log, loading it and its surroundings first if needed. */
  async jumpTo(id) {
    let entry = this.find(id);
    if (!entry) {
      this.status.textContent = 'Loading the conversation around it…';
      try {
        await this.loadAround(id);
      } catch (error) {
        this.status.textContent = `Could not load it: ${error.message}`;
        return;
      }
      entry = this.find(id);
      if (!entry) { this.status.textContent = 'That message is no longer there.'; return; }
    }
    this.close();
    entry.scrollIntoView({ block: 'center' });
    entry.classList.add('found');
    entry.tabIndex = -1;
    entry.focus({ preventScroll: true });
    setTimeout(() => entry.classList.remove('found'), FOUND_HIGHLIGHT_MS);
  }

  find(id) {
    return this.log.querySelector(`.entry[data-id="${id}"]`);
  }

  /** A few events before <paramref name="id"/>, it, and what follows up to the entries the log already held. */
  async loadAround(id) {
    // The first entry after <after> that the log already shows: loading forward stops there.
    const nextShown = after => {
      for (const entry of this.log.querySelectorAll('.entry[data-id]:not([data-pending])')) {
        const shownId = Number(entry.dataset.id);
        if (shownId > after) return shownId;
      }
      return Infinity;
    };
    const before = await getJson(`/api/messages?before=${id + 1}&limit=${CONTEXT_BEFORE + 1}`);
    this.show(before.filter(e => e.id <= id));
    let after = id;
    for (let page = 0; page < MAX_FORWARD_PAGES; page++) {
      const limit = nextShown(after);
      const events = await getJson(`/api/messages?since=${after}&limit=${PAGE_SIZE}`);
      this.show(events.filter(e => e.id < limit));
      if (events.length < PAGE_SIZE || events.some(e => e.id >= limit)) return;
      after = events[events.length - 1].id;
    }
    this.gap(after, nextShown(after));
  }
}
