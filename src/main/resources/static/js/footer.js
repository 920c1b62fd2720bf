import { setAttr, setText } from './dom.js';

/**
 * The footer: which server the page is showing (its `serverId` from `welcome`), that server's version (from
 * `GET /api/metrics/history`) and the epoch of its event log (a new epoch means the server restarted with a
 * fresh log). Someone looking at two dashboards, or at one after a deploy, can tell them apart.
 */
export function createFooter() {
  const serverId = document.getElementById('server-id');
  const version = document.getElementById('server-version');
  const epoch = document.getElementById('server-epoch');
  return {
    server(welcome) {
      if (!welcome) return;
      setText(serverId, welcome.serverId || '–');
      setText(epoch, welcome.epoch || '–');
      setAttr(epoch, 'title', welcome.epoch ? `event log epoch ${welcome.epoch}` : null);
    },
    version(text) {
      setText(version, text || '–');
    },
  };
}
