import {transform} from 'lightningcss';
import {defineConfig, type Plugin} from 'vite';

/**
 * The widget builds, both into widget/dist (the element package's own folder):
 * - default: wecom-sp-login.js, one self-contained, fully minified ES module with Lit bundled in,
 *   which the login server serves at /widget/wecom-sp-login.js;
 * - `--mode bundler`: index.js for the package's `exports`, with Lit left as an import so that an
 *   app that already uses Lit loads it once.
 * `npm run build` runs both, then emits the `.d.ts` files and custom-elements.json, and builds the
 * admin console (`--mode admin`, dist/admin/admin.js).
 */
export default defineConfig(({mode}) => {
  if (mode === 'admin') return adminConsoleBuild;
  const forBundlers = mode === 'bundler';
  return {
    // Bundlers minify the app themselves, with its own source maps.
    plugins: forBundlers ? [] : [minifyLitCss()],
    build: {
      outDir: 'widget/dist',
      emptyOutDir: false,
      target: 'es2022',
      // terser after rolldown's own minifier: two compress passes take about 70 B more off the
      // gzipped file than rolldown alone, which the element's 10 KB budget needs.
      minify: forBundlers ? false : ('terser' as const),
      terserOptions: {module: true, compress: {passes: 2}, format: {comments: false}},
      sourcemap: forBundlers,
      rolldownOptions: forBundlers
        ? {external: [/^lit($|\/)/, /^@lit\//]}
        : // Library mode keeps whitespace by default (to keep pure annotations for downstream
          // bundlers); this file is served as is, so it is minified fully.
          {output: {minify: true}},
      lib: {
        entry: 'widget/index.ts',
        formats: ['es'],
        fileName: () => (forBundlers ? 'index.js' : 'wecom-sp-login.js'),
      },
    },
  };
});

/** `--mode admin`: the admin console served at /admin, one module with Lit bundled in. */
const adminConsoleBuild = {
  plugins: [minifyLitCss()],
  build: {
    outDir: 'dist/admin',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {output: {minify: true}},
    lib: {entry: 'admin/index.ts', formats: ['es' as const], fileName: () => 'admin.js'},
  },
};

/**
 * Minifies the CSS inside Lit's css`…` templates of *.styles.ts files (the JS minifier leaves
 * template text alone). Targets browsers with `light-dark()`, so it is kept as written.
 */
function minifyLitCss(): Plugin {
  return {
    name: 'minify-lit-css',
    transform(code, id) {
      if (!id.endsWith('.styles.ts') && !id.endsWith('-styles.ts')) return null;
      return code.replace(/css`([^`$]*)`/g, (_match, text: string) => {
        const {code: minified} = transform({
          filename: id,
          code: Buffer.from(text),
          minify: true,
          targets: {chrome: 123 << 16, firefox: 120 << 16, safari: (17 << 16) | (5 << 8)},
        });
        return `css\`${minified.toString()}\``;
      });
    },
  };
}
