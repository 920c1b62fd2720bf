/**
 * Hash navigation between the views (#overview, #agents, ...): links work with the keyboard, the back
 * button and bookmarks, and need no server routes. The link of the shown view gets aria-current="page".
 */
export function createRouter(viewNames, onShow) {
  const links = [...document.querySelectorAll('.app-nav a[data-view]')];
  const sections = new Map([...document.querySelectorAll('section.view')].map((s) => [s.dataset.view, s]));
  let current = null;

  function show() {
    const wanted = location.hash.replace(/^#/, '');
    const name = viewNames.includes(wanted) ? wanted : viewNames[0];
    if (name === current) return;
    current = name;
    for (const [view, section] of sections) section.hidden = view !== name;
    for (const link of links) {
      if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.body.dataset.view = name;
    onShow(name);
  }

  window.addEventListener('hashchange', show);
  return {
    start: show,
    get current() {
      return current;
    },
  };
}
