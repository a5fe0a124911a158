// Earlier history (PROTOCOL.md §3): scrolling the log to its top loads the page before the oldest entry shown
// (GET /api/messages?before=), keeping the reader's place. A resume that was truncated (§2.3) leaves a gap
// between what the page had and what was replayed; its "Load earlier messages" button fills it forward (since=).

const PAGE_SIZE = 50;
const NEAR_TOP_PX = 200; // start loading a little before the very top, so scrolling does not stop there

async function fetchEvents(query) {
  const response = await fetch(`/api/messages?${query}`, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  return response.json();
}

export class History {
  /**
   * @param {HTMLElement} log the conversation
   * @param {(event: object) => (HTMLElement|null)} render an entry for an event, or null when it is shown already
   * @param {(entry: HTMLElement) => void} arrange called for every entry put in the log
   */
  constructor(log, render, arrange) {
    this.log = log;
    this.render = render;
    this.arrange = arrange;
    this.loading = false;
    this.done = false;

    this.top = document.createElement('div');
    this.top.className = 'history-top';
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'quiet load-older';
    this.button.textContent = 'Load older messages';
    this.note = document.createElement('span');
    this.note.className = 'history-note';
    this.top.append(this.button, this.note);
    log.prepend(this.top);

    this.button.addEventListener('click', () => this.loadOlder());
    log.addEventListener('scroll', () => { if (log.scrollTop < NEAR_TOP_PX && log.scrollHeight > log.clientHeight) this.loadOlder(); });
  }

  oldestId() {
    const first = this.log.querySelector(':scope > [data-id]');
    return first ? Number(first.dataset.id) : Number(this.log.dataset.since || 0) + 1;
  }

  /** One page before the oldest entry shown, put above it without moving what the reader looks at. */
  async loadOlder() {
    if (this.loading || this.done) return;
    this.loading = true;
    this.note.textContent = 'Loading…';
    try {
      const before = this.oldestId();
      const events = before > 1 ? await fetchEvents(`before=${before}&limit=${PAGE_SIZE}`) : [];
      // The entry the reader sees at the top stays exactly where it is (it may be regrouped under the new ones).
      const anchor = this.log.querySelector(':scope > [data-id]');
      const anchorTop = anchor?.getBoundingClientRect().top ?? 0;
      const entries = events.map(this.render).filter(Boolean);
      this.top.after(...entries);
      entries.forEach(this.arrange);
      if (anchor) this.log.scrollTop += anchor.getBoundingClientRect().top - anchorTop;
      this.note.textContent = '';
      if (events.length === 0) {
        this.done = true;
        this.button.hidden = true;
        this.note.textContent = 'This is the beginning of the conversation.';
      }
      // A short page (the server caps limit at Chat:MaxReplay) may or may not be the last: ask once more.
      if (events.length > 0 && events.length < PAGE_SIZE) setTimeout(() => this.loadOlder());
    } catch {
      this.note.textContent = 'Earlier messages could not be loaded; try again.';
    } finally {
      this.loading = false;
    }
  }

  /** The replay after a reconnect skipped the events between <paramref name="since"/> and <paramref name="firstReplayedId"/>. */
  showGap(since, firstReplayedId) {
    const gap = document.createElement('div');
    gap.className = 'gap';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Load earlier messages';
    const note = document.createElement('span');
    note.className = 'history-note';
    gap.append(button, note);
    const first = this.log.querySelector(`:scope > [data-id="${firstReplayedId}"]`);
    const anchor = first?.previousElementSibling?.classList.contains('day-separator') ? first.previousElementSibling : first;
    if (anchor) anchor.before(gap); else this.log.append(gap);

    let after = since;
    button.addEventListener('click', async () => {
      button.disabled = true;
      note.textContent = '';
      try {
        const events = await fetchEvents(`since=${after}&limit=${PAGE_SIZE}`);
        const missing = events.filter(event => event.id < firstReplayedId);
        const entries = missing.map(this.render).filter(Boolean);
        gap.before(...entries);
        entries.forEach(this.arrange);
        if (events.length > 0) after = events[events.length - 1].id;
        if (missing.length < events.length || events.length === 0) gap.remove(); // the hole is filled
      } catch {
        note.textContent = 'Could not load them; try again.';
      } finally {
        button.disabled = false;
      }
    });
    return gap;
  }
}
