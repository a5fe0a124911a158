// While the tab is hidden, private messages and profile notices count in the title and raise a desktop
// notification. Permission is asked only when the reader clicks "Enable notifications", never on load.

const BASE_TITLE = document.title;

export class Notifier {
  constructor(enableButton) {
    this.unread = 0;
    this.button = enableButton;
    if ('Notification' in window && Notification.permission === 'default') {
      enableButton.hidden = false;
      enableButton.addEventListener('click', async () => {
        await Notification.requestPermission();
        enableButton.hidden = Notification.permission !== 'default';
      });
    }
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.clear(); });
  }

  /** A private message or profile notice arrived. */
  alert(title, body) {
    if (!document.hidden) return;
    this.unread++;
    document.title = `(${this.unread}) ${BASE_TITLE}`;
    if ('Notification' in window && Notification.permission === 'granted') {
      const notification = new Notification(title, { body, tag: 'chatapp' });
      notification.addEventListener('click', () => { window.focus(); notification.close(); });
    }
  }

  clear() {
    this.unread = 0;
    document.title = BASE_TITLE;
  }
}
