// Sign out and "password for another device" through the JSON API; the forms post to the page without JavaScript.
// Signing out of a name with no password gives the name up until it is released: the reader is told first.

export function initAccount() {
  const signOut = document.getElementById('sign-out-form');
  const warning = document.getElementById('sign-out-dialog');
  const passwordForm = document.getElementById('password-form');
  const result = document.getElementById('password-result');
  const input = passwordForm?.querySelector('input[type=password]');

  signOut?.addEventListener('submit', async event => {
    event.preventDefault();
    if (signOut.dataset.hasPassword !== 'true' && warning && event.submitter?.value !== 'anyway') {
      warning.showModal();
      return;
    }
    await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
    location.assign('/');
  });
  warning?.querySelector('.set-password-first')?.addEventListener('click', () => {
    warning.close();
    input?.focus();
  });
  warning?.querySelector('.sign-out-anyway')?.addEventListener('click', () => {
    warning.close();
    signOut.dataset.hasPassword = 'true'; // asked and answered: sign out now
    signOut.requestSubmit();
  });

  passwordForm?.addEventListener('submit', async event => {
    event.preventDefault();
    result.classList.remove('ok');
    try {
      const response = await fetch('/api/account/password', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ password: input.value }),
      });
      if (!response.ok) throw new Error(response.status === 400 ? `A password is 1 to ${document.body.dataset.maxPasswordLength} characters.` : `The server answered ${response.status}.`);
      input.value = '';
      result.classList.add('ok');
      result.textContent = 'Password set: sign in with it on another device.';
      if (signOut) signOut.dataset.hasPassword = 'true';
      document.getElementById('no-password-note')?.remove();
    } catch (error) {
      result.textContent = error instanceof TypeError ? 'The server cannot be reached; try again.' : error.message;
    }
  });
}
