// Clicking a shared image opens it large in a modal dialog with its name, size and a download link; Esc (the
// dialog's own cancel), the Close button or a click beside the image closes it.

import { formatSize } from './render.js';

export function initLightbox(log) {
  const dialog = document.createElement('dialog');
  dialog.className = 'lightbox';
  dialog.innerHTML = `
    <figure>
      <img alt="">
      <figcaption>
        <span class="lightbox-name"></span>
        <span class="size"></span>
        <a class="lightbox-download">Download</a>
        <button type="button" class="lightbox-close">Close</button>
      </figcaption>
    </figure>`;
  document.body.append(dialog);
  const image = dialog.querySelector('img');
  const name = dialog.querySelector('.lightbox-name');
  const size = dialog.querySelector('.size');
  const download = dialog.querySelector('.lightbox-download');

  log.addEventListener('click', event => {
    const shared = event.target.closest('img.shared-image');
    if (!shared) return;
    image.src = shared.currentSrc || shared.src;
    image.alt = shared.alt;
    name.textContent = shared.alt;
    const bytes = Number(shared.dataset.size);
    size.textContent = Number.isFinite(bytes) && shared.dataset.size ? formatSize(bytes) : '';
    download.href = shared.dataset.url || shared.src;
    download.download = shared.alt;
    dialog.setAttribute('aria-label', shared.alt);
    dialog.showModal();
  });
  dialog.querySelector('.lightbox-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', event => { if (event.target === dialog) dialog.close(); });
  return dialog;
}
