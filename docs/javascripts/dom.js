// Element builders for the page's widgets: h() for HTML, svg() for SVG; and the moments to run
// later work: whenIdle(), afterNextFrame().

export const SVG_NS = "http://www.w3.org/2000/svg";

/** Build an element: h("pre", { class: "x" }, "text", child…). */
export function h(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  el.append(...children.filter((child) => child !== null && child !== undefined));
  return el;
}

/** Build an SVG element: svg("line", { x1: 0, … }, child…). */
export function svg(tag, attributes = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** A number of bytes for the reader: "18.8 MB". */
export const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Call `callback(deadline)` in the browser's idle time (`options` as requestIdleCallback's).
 *  WebKit has no requestIdleCallback: its "idle time" is a timer of 50 ms. */
export const whenIdle = (callback, options) => (typeof requestIdleCallback === "function"
  ? requestIdleCallback(callback, options)
  : setTimeout(() => callback({ timeRemaining: () => 50 }), 50));

/** Call `callback` in a task of its own once the browser has drawn its next frame. */
export const afterNextFrame = (callback) => requestAnimationFrame(() => setTimeout(callback));
