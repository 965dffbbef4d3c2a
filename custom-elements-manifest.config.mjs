// `cem analyze` settings: the manifest that editors and docs tools read (package.json "customElements").
export default {
  globs: ['widget/**/*.ts'],
  exclude: ['widget/**/*.styles.ts', 'widget/dist/**'],
  outdir: 'widget/dist',
  litelement: true,
  plugins: [
    {
      // The analyzer also guesses events from `dispatchEvent(new SomeEvent(detail))`, reading the
      // detail's variable as the name; the element documents its events with @fires, so keep those.
      name: 'public-api-only',
      packageLinkPhase({customElementsManifest}) {
        for (const module of customElementsManifest.modules) {
          for (const declaration of module.declarations ?? []) {
            if (declaration.events)
              declaration.events = declaration.events.filter((event) => event.name?.startsWith('wecom-login-'));
            // `{state: true}` properties are internal state, not attributes; the analyzer lists them anyway.
            const internal = new Set(
              (declaration.members ?? []).filter((member) => member.privacy === 'private').map((member) => member.name),
            );
            if (declaration.attributes)
              declaration.attributes = declaration.attributes.filter((attribute) => !internal.has(attribute.fieldName));
          }
        }
      },
    },
  ],
};
