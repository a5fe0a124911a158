// The message box: Enter sends, Shift+Enter makes a new line, `/msg <user> <text>` and a picked name send privately.

const MAX_BOX_HEIGHT_PX = 160;

/** `/msg <user> <text>` -> { to, text }; anything else is public. Mirrors ChatApp/Pages/MessageCommand.cs. */
export function parseCommand(input) {
  const match = /^\/msg\s+(\S+)\s*([\s\S]*)$/i.exec(input);
  return match ? { to: match[1], text: match[2] } : { to: null, text: input };
}

export class Composer {
  /** @param {(draft: {text: string, to: string|null}) => void} onSend */
  constructor(form, onSend) {
    this.form = form;
    this.box = form.querySelector('#message-box');
    this.targetBar = form.querySelector('#private-target');
    this.targetName = form.querySelector('.target-name');
    this.errorLine = form.querySelector('#composer-error');
    this.placeholder = this.box.placeholder;
    this.target = null;
    this.onSend = onSend;

    form.addEventListener('submit', event => { event.preventDefault(); this.send(); });
    this.box.addEventListener('keydown', event => this.keydown(event));
    this.box.addEventListener('input', () => this.fit());
    form.querySelector('.cancel-private').addEventListener('click', () => { this.setTarget(null); this.focus(); });
    this.fit();
  }

  keydown(event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'Escape' && this.target) {
      event.preventDefault();
      this.setTarget(null);
    }
  }

  send() {
    const raw = this.box.value;
    if (raw.trim() === '') { this.focus(); return; }
    const { to, text } = parseCommand(raw);
    if (to !== null && text.trim() === '') {
      this.showError(`Write something after “/msg ${to}”.`);
      this.focus();
      return;
    }
    this.showError('');
    this.onSend({ text, to: to ?? this.target });
    this.box.value = '';
    this.fit();
    this.focus();
  }

  /** Sends privately to <paramref name="name"/> from now on (null: to everyone again). */
  setTarget(name) {
    this.target = name || null;
    this.targetBar.hidden = !this.target;
    this.targetName.textContent = this.target ?? '';
    this.form.classList.toggle('private', !!this.target);
    this.box.placeholder = this.target ? `Private message to ${this.target}` : this.placeholder;
  }

  /** Puts refused text back, unless the reader has typed something new meanwhile. */
  restore(text) {
    if (this.box.value.trim() === '') {
      this.box.value = text;
      this.fit();
    }
  }

  showError(message) {
    this.errorLine.textContent = message;
  }

  focus() {
    this.box.focus();
  }

  /** Grows the box with its text up to a limit, then it scrolls. */
  fit() {
    this.box.style.height = 'auto';
    this.box.style.height = `${Math.min(this.box.scrollHeight, MAX_BOX_HEIGHT_PX)}px`;
  }
}
