/** Small DOM helpers: building elements without innerHTML (so no event text is ever parsed as markup). */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** el('div', {class: 'x', dataset: {id: 'a'}}, child, 'text') */
export function el(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

export function svg(tag, attrs, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(node, attrs, children) {
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Sets text only when it changed: cheap to call on every frame. */
export function setText(node, text) {
  const value = text == null ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function setAttr(node, name, value) {
  const text = value == null ? null : String(value);
  if (text === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== text) {
    node.setAttribute(name, text);
  }
}

/**
 * Makes `parent`'s children show `items` in order, one element per key, reusing the elements of keys it
 * already shows. Streams then only create the rows that are new, and cards keep their focus across updates.
 */
export function reconcile(parent, items, keyOf, create, update) {
  const previous = parent._keyed || new Map();
  const next = new Map();
  let cursor = parent.firstChild;
  for (const item of items) {
    const key = keyOf(item);
    let node = previous.get(key);
    if (!node) node = create(item);
    if (update) update(node, item);
    next.set(key, node);
    if (node === cursor) {
      cursor = cursor.nextSibling;
    } else {
      parent.insertBefore(node, cursor);
    }
  }
  for (const [key, node] of previous) {
    if (!next.has(key)) node.remove();
  }
  parent._keyed = next;
}
