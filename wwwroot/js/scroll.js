// Keeps the log at the bottom while the reader is there; otherwise new entries raise a "new messages" marker.

const AT_BOTTOM_SLACK_PX = 48;

export class StickyScroll {
  constructor(log, marker) {
    this.log = log;
    this.marker = marker;
    this.stuck = true;
    log.addEventListener('scroll', () => {
      this.stuck = this.atBottom();
      if (this.stuck) this.marker.hidden = true;
    });
    marker.addEventListener('click', () => { this.toBottom(); this.log.focus(); });
    // Images take their height when they load: stay at the bottom if we were.
    log.addEventListener('load', () => { if (this.stuck) this.toBottom(); }, true);
  }

  atBottom() {
    const log = this.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight <= AT_BOTTOM_SLACK_PX;
  }

  /** Adds entries through <paramref name="insert"/>, then follows them or shows the marker. */
  add(insert, { own = false, quiet = false } = {}) {
    const wasAtBottom = this.atBottom();
    insert();
    if (wasAtBottom || own) this.toBottom();
    else if (!quiet) this.marker.hidden = false;
  }

  toBottom() {
    this.log.scrollTop = this.log.scrollHeight;
    this.stuck = true;
    this.marker.hidden = true;
  }
}
