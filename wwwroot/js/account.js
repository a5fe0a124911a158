// Sign out and "password for another device" through the JSON API; the forms post to the page without JavaScript.

export function initAccount() {
  const signOut = document.getElementById('sign-out-form');
  signOut?.addEventListener('submit', async event => {
    event.preventDefault();
    await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin' }).catch(() => {});
    location.assign('/');
  });

  const passwordForm = document.getElementById('password-form');
  const result = document.getElementById('password-result');
  passwordForm?.addEventListener('submit', async event => {
    event.preventDefault();
    const input = passwordForm.querySelector('input[type=password]');
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
    } catch (error) {
      result.textContent = error instanceof TypeError ? 'The server cannot be reached; try again.' : error.message;
    }
  });
}
