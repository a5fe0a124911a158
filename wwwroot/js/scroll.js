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
      // The reader scrolled up before this frame's entries were followed: leave them where they are. (Entries added
      // below do not move scrollTop; the scroll event of the last follow arrives after them, so "not at the bottom"
      // alone would be no sign of the reader.)
      if (this.frame && log.scrollTop < this.frame.top) this.frame.follow = false;
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
      this.frame = { wasAtBottom, follow: wasAtBottom, top: this.log.scrollTop };
      requestAnimationFrame(() => this.settle());
    }
    insert();
    if (own) this.frame.follow = true;
    else if (!this.frame.wasAtBottom && !quiet) this.marker.hidden = false;
  }

  settle() {
    const { follow } = this.frame;
    this.frame = null;
    if (follow) this.toBottom();
  }

  toBottom() {
    this.log.scrollTop = this.log.scrollHeight;
    this.stuck = true;
    this.marker.hidden = true;
  }
}
