// The public pages' design-system CSS, cut to what plov uses (run by scripts/build-assets).
//
// DKFDS ships one 215 kB stylesheet (≈ 32 kB compressed) of which a page uses a few kB; it is
// render-blocking on every public page. PurgeCSS (pinned in package.json) keeps the rules whose
// classes, ids or elements appear in plov's templates, Python code (classes put together there)
// and scripts (also DKFDS's own script, which toggles its classes), plus a safelist for what
// editors' rich text and the back office's messages can bring. The result is
// vendor/dkfds/css/dkfds-borgerdk.plov.css; the full file stays next to it for reference.
//
// Its @font-face rules are dropped: plov.css declares the faces plov uses (the Latin-1 subsets of
// IBM Plex Sans, woff2 only, 400–700), which base.html preloads. (DKFDS's own regular face listed
// .eot and .woff before .woff2, so a browser fetched the larger .woff.)
import { readFile, writeFile } from "node:fs/promises";
import { PurgeCSS } from "purgecss";

const css = "plov/public/static/vendor/dkfds/css/dkfds-borgerdk.min.css";
const out = "plov/public/static/vendor/dkfds/css/dkfds-borgerdk.plov.css";

const [result] = await new PurgeCSS().purge({
  css: [css],
  content: [
    "plov/**/templates/**/*.html",
    "plov/public/*.py", "plov/pages/*.py",
    "plov/*/static/*/js/**/*.js",
    "plov/public/static/vendor/dkfds/js/dkfds.min.js",
  ],
  // class names written with template variables (badge-{{ level }}, alert-{{ kind }}) and
  // the elements an editor's rich text may contain
  safelist: {
    standard: [
      "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "ul", "ol", "li", "b", "strong", "i", "em",
      "blockquote", "hr", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th",
      "td", "caption", "code", "pre", "sup", "sub", "dl", "dt", "dd", "details", "summary",
      "abbr", "small", "mark", "iframe", "embed", "video", "picture", "source",
    ],
    greedy: [/^badge/, /^alert/, /^button/, /^form-/, /^icon-/, /^sr-only/, /^js-/],
  },
  fontFace: false,
  keyframes: false,
  variables: false,
});

const text = result.css
  .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "")
  .replace(/@font-face\s*{[^}]*}/g, "");
await writeFile(out, text);
const before = (await readFile(css)).length;
console.log(`${out}: ${text.length} bytes (from ${before})`);
