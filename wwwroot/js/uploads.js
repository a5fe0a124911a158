// Sharing files from the chat page (PROTOCOL.md §2.2, UI.md): files dropped on the conversation, picked
// with the Attach file button, or images pasted into the message box all take one path, upload().
// The socket module does the sending; this module only gathers files and shows their progress and errors.

import { formatSize } from './render.js';
import { newClientId } from './socket.js';

const PROGRESS_FROM_BYTES = 512 * 1024; // smaller files go out faster than a progress bar could be read
const DROP_TARGET_CLASS = 'drop-target';

/**
 * @param {object} options
 * @param {HTMLElement} options.log the conversation (role=log): drop target, and where upload entries appear
 * @param {HTMLElement} options.attachButton the "Attach file" button
 * @param {HTMLElement} options.messageBox the "Message" textbox: images pasted into it are shared
 * @param {(file: File, options: {to?: string, clientId: string, onProgress: (sent: number, total: number) => void}) => Promise<unknown>} options.sendFile
 * @param {() => (string|null|undefined)} [options.recipient] the user a private conversation is with, if any
 * @param {number} [options.maxFileBytes] refuse bigger files before sending them (the server refuses them anyway)
 * @returns {{ upload: (files: Iterable<File>) => Promise<void> }}
 */
export function initUploads({ log, attachButton, messageBox, sendFile, recipient = () => null, maxFileBytes }) {
  let queue = Promise.resolve();

  /** Sends files one after another, so each progress bar means what it shows. */
  function upload(files) {
    for (const file of files) {
      queue = queue.then(() => uploadOne(file));
    }
    return queue;
  }

  async function uploadOne(file) {
    const entry = pendingEntry(file);
    if (maxFileBytes && file.size > maxFileBytes) {
      showError(entry, file, `it is larger than ${formatSize(maxFileBytes)}`);
      return;
    }
    if (file.size === 0) {
      showError(entry, file, 'it is empty');
      return;
    }
    try {
      const to = recipient() || undefined;
      await sendFile(file, { to, clientId: newClientId(), onProgress: sent => showProgress(entry, file, sent) });
      // The page shows the file itself once the server's echo arrives; the placeholder has done its job.
      entry.remove();
    } catch (error) {
      showError(entry, file, describe(error));
    }
  }

  // ---- the Attach file button: a hidden multiple-file input behind it
  const picker = document.createElement('input');
  picker.type = 'file';
  picker.multiple = true;
  picker.hidden = true;
  picker.tabIndex = -1;
  picker.setAttribute('aria-hidden', 'true');
  attachButton.after(picker);
  attachButton.addEventListener('click', (event) => {
    event.preventDefault();
    picker.click();
  });
  picker.addEventListener('change', () => {
    const files = [...picker.files];
    picker.value = ''; // picking the same file again fires change again
    upload(files);
  });

  // ---- dropping files on the conversation
  let dragDepth = 0; // dragenter/dragleave fire for every child the pointer crosses
  const carriesFiles = (event) => !!event.dataTransfer && [...event.dataTransfer.types].includes('Files');
  const clearDropTarget = () => {
    dragDepth = 0;
    log.classList.remove(DROP_TARGET_CLASS);
  };
  log.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    log.classList.add(DROP_TARGET_CLASS);
  });
  log.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault(); // without this the browser does not allow a drop here
    event.dataTransfer.dropEffect = 'copy';
    log.classList.add(DROP_TARGET_CLASS);
  });
  log.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) log.classList.remove(DROP_TARGET_CLASS);
  });
  log.addEventListener('drop', (event) => {
    clearDropTarget();
    const files = event.dataTransfer ? [...event.dataTransfer.files] : [];
    if (files.length === 0) return;
    event.preventDefault();
    upload(files);
  });
  // A file dropped beside the log would otherwise replace the chat with the file itself.
  window.addEventListener('dragover', (event) => { if (carriesFiles(event) && !log.contains(event.target)) event.preventDefault(); });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event) || log.contains(event.target)) return;
    event.preventDefault();
    clearDropTarget();
  });
  window.addEventListener('dragend', clearDropTarget);

  // ---- pasting an image into the message box
  messageBox.addEventListener('paste', (event) => {
    const items = event.clipboardData ? [...event.clipboardData.items] : [];
    const images = items
      .filter((item) => item.kind === 'file' && item.type.startsWith('image/'))
      .map((item) => item.getAsFile())
      .filter(Boolean)
      .map(namePasted);
    if (images.length === 0) return; // plain text pastes as usual
    event.preventDefault();
    upload(images);
  });

  // ---- entries in the log for uploads under way or refused
  function pendingEntry(file) {
    const entry = document.createElement('div');
    entry.className = 'upload';
    entry.dataset.upload = 'pending';
    const label = document.createElement('span');
    label.className = 'upload-name';
    label.textContent = `Sending ${file.name}…`;
    entry.append(label);
    if (file.size >= PROGRESS_FROM_BYTES) {
      const bar = document.createElement('progress');
      bar.max = file.size;
      bar.value = 0;
      bar.setAttribute('aria-label', `Sending ${file.name}`);
      entry.append(bar);
    }
    log.append(entry);
    entry.scrollIntoView?.({ block: 'nearest' });
    return entry;
  }

  function showProgress(entry, file, sent) {
    const bar = entry.querySelector('progress');
    if (bar) bar.value = Math.min(sent, file.size);
  }

  function showError(entry, file, reason) {
    entry.dataset.upload = 'failed';
    entry.classList.add('upload-error');
    entry.setAttribute('role', 'alert');
    entry.replaceChildren();
    const text = document.createElement('span');
    text.textContent = `Could not send ${file.name}: ${reason}`;
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'upload-dismiss';
    dismiss.textContent = '×';
    dismiss.setAttribute('aria-label', `Dismiss the error about ${file.name}`);
    dismiss.addEventListener('click', () => entry.remove());
    entry.append(text, dismiss);
  }

  return { upload };
}

/** A pasted screenshot is usually called "image.png"; a time makes several of them tell apart. */
function namePasted(file) {
  if (file.name && file.name !== 'image.png') return file;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  const extension = (file.type.split('/')[1] || 'png').replace(/[^a-z0-9]/gi, '');
  return new File([file], `pasted-${stamp}.${extension}`, { type: file.type });
}

/** The server's error frame ({code, message}), an Error, or anything else, as words. */
function describe(error) {
  if (!error) return 'unknown error';
  if (typeof error === 'string') return error;
  return error.message || error.code || String(error);
}
