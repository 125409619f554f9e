// Bundles embed.js into one minified browser script with esbuild:
//
//     node build.mjs OUT_DIR      (after `npm ci` in this folder; tools/vendor_assets.py
//                                  does both and passes assets/vendor/widget-embed)
//
// writes OUT_DIR/embed.js and OUT_DIR/embed.LICENSES.txt (each bundled package, its
// version and its license text).
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs OUT_DIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

// The CSS first, each sheet bundled with its @imports into one minified string.
async function css(...sheets) {
  const source = sheets.map((sheet) => `@import "${sheet}";`).join("\n");
  const result = await build({
    stdin: { contents: source, resolveDir: here, loader: "css" },
    bundle: true, minify: true, write: false, logLevel: "warning",
    // A url() the CSS might name is kept inline: the embedder's CSS ships no files.
    loader: { ".svg": "dataurl", ".png": "dataurl", ".woff": "dataurl", ".woff2": "dataurl" },
  });
  return result.outputFiles[0].text;
}

const styles = {
  // lumino's widget CSS (the stock embedder loads it too) and the controls' own, which
  // imports nouislider's (the sliders) and its lumino rules.
  BASE_CSS: await css("@lumino/widgets/style/index.css",
                      "@jupyter-widgets/controls/css/widgets-base.css"),
  // JupyterLab's CSS variables, which the controls' CSS uses (embed.js adds them only if
  // the page lacks them).
  LAB_VARIABLES_CSS: await css("@jupyter-widgets/controls/css/labvariables.css"),
};

// embed.js imports them as the module `widget-embed:css`.
const stylesModule = {
  name: "widget-embed-css",
  setup(plugin) {
    plugin.onResolve({ filter: /^widget-embed:css$/ }, (args) => ({
      path: args.path, namespace: "widget-embed",
    }));
    plugin.onLoad({ filter: /.*/, namespace: "widget-embed" }, () => ({
      contents: Object.entries(styles)
        .map(([name, text]) => `export const ${name} = ${JSON.stringify(text)};`).join("\n"),
      loader: "js",
    }));
  },
};

// ManagerBase's HTML sanitizer, sanitize-html, is a third of the bundle: sanitize.js does
// the same with the browser's own parser (see there).
const sanitizer = {
  name: "widget-embed-sanitizer",
  setup(plugin) {
    plugin.onResolve({ filter: /^sanitize-html$/ }, () => ({ path: join(here, "sanitize.js") }));
  },
};

const bundle = await build({
  entryPoints: [join(here, "embed.js")],
  outfile: join(out, "embed.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],  // what ipywidgets 8 and anywidget need anyway
  platform: "browser",
  // The pages load require.js before this script, so `define.amd` is set. Bundled UMD
  // modules (jquery, backbone, underscore, lodash, nouislider) test for it and, finding
  // it, register themselves with require.js instead of filling the bundle's own exports:
  // backbone would then wait for an AMD `underscore` that never comes. Inside the bundle
  // the bare name `define` is therefore `undefined`; embed.js uses `window.define`.
  define: { define: "undefined", "process.env.NODE_ENV": '"production"' },
  // The license texts go to a file beside it (below), not into every reader's download.
  legalComments: "none",
  banner: { js: "/*! The book's Jupyter widgets embedder (tools/widget_embed/embed.js). " +
                "Bundled packages and their licenses: embed.LICENSES.txt */" },
  metafile: true,
  logLevel: "warning",
  plugins: [stylesModule, sanitizer],
});

// Every package with code in the bundle, from esbuild's record of its inputs.
const packages = new Set();
for (const input of Object.keys(bundle.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g);
  if (match) {
    packages.add(match[match.length - 1].slice("node_modules/".length, -1));
  }
}
const notices = [...packages].sort().map((name) => {
  const folder = join(here, "node_modules", name);
  const { version, license } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const file = readdirSync(folder).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file ? readFileSync(join(folder, file), "utf8").trim() : `(no license file; ${license})`;
  return `${name} ${version} (${license})\n\n${text}\n`;
});
writeFileSync(join(out, "embed.LICENSES.txt"),
              "The packages bundled into embed.js, with their licenses.\n\n" +
              notices.join(`\n${"-".repeat(78)}\n\n`));
if (!existsSync(join(out, "embed.js"))) {
  throw new Error("esbuild wrote no embed.js");
}
