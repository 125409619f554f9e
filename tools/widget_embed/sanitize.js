// Stands in for the npm package `sanitize-html` in the bundle (build.mjs resolves that name
// here). ManagerBase.inline_sanitize calls it, with a fixed allow-list, on the description
// of a control whose `description_allow_html` is set: the worked-example explorers label
// their sliders `w<sub>4,1</sub>`. sanitize-html parses HTML with htmlparser2 and CSS with
// postcss: 255 kB of the bundle, 94 kB gzipped, a third of it. The browser parses HTML
// itself: DOMParser gives an inert document (no script runs, no image loads), and this
// walks it with sanitize-html's rules for the options ManagerBase passes
// (`allowedTags`, `allowedAttributes` with `*` and `aria-*`), so a page shows what it
// showed with the stock manager (`w<sub>4,1</sub>` reads "w4,1": `sub` is not allowed):
//
// - a tag not allowed goes and its text stays, except the text of script, style,
//   textarea and option (sanitize-html's nonTextTags), which goes with it;
// - an attribute not allowed goes; an href or src whose scheme is not http, https, ftp,
//   mailto or tel (sanitize-html's allowedSchemes; relative URLs pass) goes;
// - comments go; text and attribute values come back escaped.
//
// Where the two parsers repair broken HTML differently the results can differ; the book's
// descriptions are its own, well-formed HTML.

const DROP_WITH_CONTENT = new Set(["script", "style", "textarea", "option"]);
const VOID = new Set(["img", "br", "hr", "area", "base", "basefont", "input", "link", "meta"]);
const SCHEMES = new Set(["http", "https", "ftp", "mailto", "tel"]);

function escape(text, quotes) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return quotes ? escaped.replace(/"/g, "&quot;") : escaped;
}

// sanitize-html's naughtyHref: control characters and spaces do not hide a scheme.
function allowedUrl(value) {
  const plain = value.replace(/[\x00-\x20]+/g, "");
  const scheme = plain.match(/^([a-zA-Z][a-zA-Z0-9.\-+]*):/);
  return !scheme || SCHEMES.has(scheme[1].toLowerCase());
}

function attributeAllowed(patterns, name) {
  return patterns.some((pattern) => pattern === name ||
    (pattern.endsWith("*") && name.startsWith(pattern.slice(0, -1))));
}

export default function sanitize(html, { allowedTags = [], allowedAttributes = {} } = {}) {
  const tags = new Set(allowedTags);
  const body = new DOMParser().parseFromString(String(html), "text/html").body;
  const write = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      return escape(node.data, false);
    }
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return "";  // comments
    }
    const tag = node.localName;
    if (DROP_WITH_CONTENT.has(tag)) {
      return "";
    }
    const inner = Array.from(node.childNodes, write).join("");
    if (!tags.has(tag)) {
      return inner;
    }
    const patterns = [...(allowedAttributes["*"] || []), ...(allowedAttributes[tag] || [])];
    const attributes = Array.from(node.attributes)
      .filter(({ name, value }) => attributeAllowed(patterns, name) &&
              !((name === "href" || name === "src") && !allowedUrl(value)))
      .map(({ name, value }) => ` ${name}="${escape(value, true)}"`).join("");
    return VOID.has(tag) ? `<${tag}${attributes} />` : `<${tag}${attributes}>${inner}</${tag}>`;
  };
  return Array.from(body.childNodes, write).join("");
}
