// The profile page: its times (UTC in the markup) in the reader's own time zone.

import { localizeTimes } from './render.js';

localizeTimes(document, iso => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }));
