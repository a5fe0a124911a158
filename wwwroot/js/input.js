// The message box: Enter sends, Shift+Enter makes a new line, `/msg <user> <text>` and a picked name send privately.

const MAX_BOX_HEIGHT_PX = 160;

/**
 * `/msg <user> <text>` -> { to, text }; anything else is public. `command` is the server's rule
 * (ChatApp/Pages/MessageCommand.cs Pattern, given by the page), so the rule is written once.
 */
export function parseCommand(input, command) {
  const match = command.exec(input);
  return match ? { to: match[1], text: match[2] } : { to: null, text: input };
}

export class Composer {
  /**
   * @param {(draft: {text: string, to: string|null}) => void} onSend
   * @param {string} me the reader, who cannot send a private message to themselves
   */
  constructor(form, onSend, me) {
    this.form = form;
    this.me = me;
    this.box = form.querySelector('#message-box');
    // The server's limit (Chat:MaxMessageLength), given by the page; longer text is refused here with a reason, never cut.
    this.maxLength = Number(this.box.dataset.maxLength) || Infinity;
    this.command = new RegExp(this.box.dataset.privateCommand, 'i');
    this.targetBar = form.querySelector('#private-target');
    this.targetName = form.querySelector('.target-name');
    this.errorLine = form.querySelector('#composer-error');
    this.placeholder = this.box.placeholder;
    this.target = null;
    this.onSend = onSend;

    form.addEventListener('submit', event => { event.preventDefault(); this.send(); });
    this.box.addEventListener('keydown', event => this.keydown(event));
    this.box.addEventListener('input', () => { this.fit(); this.checkLength(); });
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
    if (!this.checkLength()) { this.focus(); return; }
    const { to, text } = parseCommand(raw, this.command);
    if (to !== null && this.isMe(to)) {
      this.showError('That is you: a private message goes to someone else.');
      this.focus();
      return;
    }
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

  isMe(name) {
    return name != null && this.me != null && name.toUpperCase() === this.me.toUpperCase();
  }

  /** Text over the limit stays in the box, refused with its length, until it is shortened. */
  checkLength() {
    const length = this.box.value.length;
    const over = length > this.maxLength;
    this.box.setAttribute('aria-invalid', String(over));
    if (over) this.showError(`Too long to send: ${length} characters, at most ${this.maxLength} fit in one message.`);
    else if (this.errorLine.dataset.kind === 'length') this.showError('');
    if (over) this.errorLine.dataset.kind = 'length';
    return !over;
  }

  /** Sends privately to <paramref name="name"/> from now on (null: to everyone again). Returns false for oneself. */
  setTarget(name) {
    if (this.isMe(name)) {
      this.showError('That is you: pick someone else for a private message.');
      return false;
    }
    this.target = name || null;
    this.targetBar.hidden = !this.target;
    this.targetName.textContent = this.target ?? '';
    this.form.classList.toggle('private', !!this.target);
    this.box.placeholder = this.target ? `Private message to ${this.target}` : this.placeholder;
    return true;
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
    delete this.errorLine.dataset.kind;
  }

  /** The next send went through: an earlier refusal no longer applies (a length warning still does). */
  clearError() {
    if (this.errorLine.dataset.kind !== 'length') this.showError('');
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
