// Reading aids in the log: a day separator where the reader's local day changes, and consecutive messages from
// one sender within a few minutes grouped under one name and time. The server's first paint does the same in
// UTC (ChatApp/Pages/Components/MessageList.razor); this redoes it in the reader's time zone.

const GROUP_WINDOW_MS = 5 * 60 * 1000;

const isEntry = node => node?.classList?.contains('entry');
const isSeparator = node => node?.classList?.contains('day-separator');

function previousEntry(entry) {
  let node = entry.previousElementSibling;
  while (node && !isEntry(node)) node = node.previousElementSibling;
  return node;
}

function nextEntry(entry) {
  let node = entry.nextElementSibling;
  while (node && !isEntry(node)) node = node.nextElementSibling;
  return node;
}

/** When an entry was sent; one still being sent counts as now. */
function timeOf(entry) {
  const time = entry.querySelector('time[datetime]');
  const date = time ? new Date(time.dateTime) : new Date();
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

const dayKey = date => `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;

export function dayLabel(date, now = new Date()) {
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(date) === dayKey(now)) return 'Today';
  if (dayKey(date) === dayKey(yesterday)) return 'Yesterday';
  return date.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

function continues(previous, entry, previousTime, time) {
  if (!previous || !entry.classList.contains('talk') || !previous.classList.contains('talk')) return false;
  if (entry.classList.contains('failed') || previous.classList.contains('failed')) return false;
  const sameSender = (previous.dataset.from ?? '').toUpperCase() === (entry.dataset.from ?? '').toUpperCase();
  const samePrivacy = (previous.dataset.to ?? '').toUpperCase() === (entry.dataset.to ?? '').toUpperCase();
  return sameSender && samePrivacy && time - previousTime >= 0 && time - previousTime <= GROUP_WINDOW_MS;
}

/** Sets the separator before <paramref name="entry"/> and its grouping from the entry before it. */
function arrangeOne(entry) {
  const previous = previousEntry(entry);
  const time = timeOf(entry);
  const previousTime = previous ? timeOf(previous) : null;
  const newDay = !previous || dayKey(previousTime) !== dayKey(time);

  let separator = entry.previousElementSibling;
  if (!isSeparator(separator)) separator = null;
  if (newDay) {
    if (!separator) {
      separator = document.createElement('div');
      separator.className = 'day-separator';
      entry.before(separator);
    }
    separator.dataset.day = dayKey(time);
    separator.textContent = dayLabel(time);
  } else {
    separator?.remove();
  }

  entry.classList.toggle('continued', !newDay && continues(previous, entry, previousTime, time));
}

/** Arranges one new or changed entry and the one after it (whose predecessor changed). */
export function arrange(entry) {
  arrangeOne(entry);
  const next = nextEntry(entry);
  if (next) arrangeOne(next);
}

/** Arranges the whole log: once, when the page loads (the server's separators were in UTC). */
export function arrangeAll(log) {
  for (const entry of log.querySelectorAll(':scope > .entry')) arrangeOne(entry);
}
