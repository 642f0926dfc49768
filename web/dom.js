// Every node the page builds goes through these helpers: text is always set as text, attributes
// through setAttribute, so feed text can never become markup.

/** An HTML element: `props` are attributes (`text` sets textContent, `on<event>` adds a listener). */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element, same conventions as `h`. */
export function s(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(node, props, children) {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** Replaces every child of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  build(node, {}, children);
}

/** The URL when it is plain http(s), else undefined: a feed's `javascript:` link is never a link. */
export function safeHttpUrl(value) {
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A link out to an outlet, opened apart from the page; plain text when the URL is not http(s). */
export function outLink(href, label, props = {}) {
  const safe = safeHttpUrl(href);
  if (!safe) return h('span', props, label);
  return h('a', { ...props, href: safe, target: '_blank', rel: 'noopener noreferrer' }, label);
}
