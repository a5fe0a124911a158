// Keeps the log at the bottom while the reader is there; otherwise new entries raise a "new messages" marker.

const AT_BOTTOM_SLACK_PX = 48;

export class StickyScroll {
  constructor(log, marker) {
    this.log = log;
    this.marker = marker;
    this.stuck = true;
    this.frame = null; // entries added since the last paint: where the reader was before the first, and whether to follow
    log.addEventListener('scroll', () => {
      this.stuck = this.atBottom();
      if (this.stuck) this.marker.hidden = true;
      // The reader scrolled up before this frame's entries were followed: leave them where they are. The sign is the
      // entry that was last when the frame began going below the view: entries added under it do not move it, nor
      // do entries taken away above it (the oldest, trimmed), which move scrollTop with everything else.
      const last = this.frame?.follow ? this.frame.last : null;
      if (last?.isConnected && last.getBoundingClientRect().bottom - log.getBoundingClientRect().bottom > AT_BOTTOM_SLACK_PX) {
        this.frame.follow = false;
      }
    });
    marker.addEventListener('click', () => { this.toBottom(); this.log.focus(); });
    // Images take their height when they load: stay at the bottom if we were.
    log.addEventListener('load', () => { if (this.stuck) this.toBottom(); }, true);
  }

  atBottom() {
    const log = this.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= AT_BOTTOM_SLACK_PX;
  }

  /**
   * Adds entries through insert, then follows them or shows the marker. Where the reader is gets measured before
   * the first entry of a frame and the log scrolls once, before the next paint: measured and scrolled for every
   * entry, each of a storm's 1,000 join notices laid the whole log out twice, and the page fell seconds behind.
   */
  add(insert, { own = false, quiet = false } = {}) {
    if (!this.frame) {
      const wasAtBottom = this.atBottom();
      this.frame = { wasAtBottom, follow: wasAtBottom, own: false, last: this.log.lastElementChild };
      requestAnimationFrame(() => this.settle());
    }
    insert();
    if (own) this.frame.own = true; // the reader's own entries are always followed
    else if (!this.frame.wasAtBottom && !quiet) this.marker.hidden = false;
  }

  settle() {
    const { follow, own } = this.frame;
    this.frame = null;
    if (follow || own) this.toBottom();
  }

  toBottom() {
    this.log.scrollTop = this.log.scrollHeight;
    this.stuck = true;
    this.marker.hidden = true;
  }
}
