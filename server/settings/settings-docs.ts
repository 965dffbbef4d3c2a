import {fileVariables, SETTINGS, type ExampleSection, type Setting} from './settings.ts';

/** One environment variable as the docs show it. */
export interface EnvironmentVariable {
  name: string;
  /** The default as a reader sees it (markdown code spans allowed). */
  default: string;
  meaning: string;
}

/** Every variable loadConfig reads, in the table's order, then the `_FILE` variant of each secret. */
export function environmentVariables(): EnvironmentVariable[] {
  const settings: Array<Setting<unknown>> = Object.values(SETTINGS);
  return [
    ...settings.map((entry) => ({name: entry.variable, default: entry.shownDefault, meaning: entry.meaning})),
    ...fileVariables().map((variable) => ({
      name: `${variable}_FILE`,
      default: 'unset',
      meaning:
        `a file holding \`${variable}\`, as container and Kubernetes secrets are mounted; ` +
        'its final line break is dropped; setting both is an error',
    })),
  ];
}

/** The variables as `serve --help` prints them: name, meaning, default. */
export function describeEnvironment(): string {
  const variables = environmentVariables();
  const width = Math.max(...variables.map((variable) => variable.name.length));
  const plain = (text: string) => text.replaceAll('`', '');
  return variables
    .map(({name, default: shown, meaning}) => `  ${name.padEnd(width)}  ${plain(meaning)} (default: ${plain(shown)})`)
    .join('\n');
}

/** The variables as docs/deploy.md's markdown table. */
export function environmentTable(): string {
  const rows = environmentVariables().map(
    ({name, default: shown, meaning}) => `| \`${name}\` | ${shown} | ${meaning} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

const EXAMPLE_HEADER = `# /etc/wecom-sp-login/env (mode 0600, owned by root): every setting of the server, read by the
# systemd unit (EnvironmentFile=) and by the CLI (wecom-sp-login --env-file /etc/wecom-sp-login/env …).
# \`wecom-sp-login --env-file /etc/wecom-sp-login/env config check\` validates it without starting.
# Back up SECRET_KEY with the database: without it the sealed secrets and signing keys are unreadable.
# Written from server/settings/settings.ts by \`npm run docs:settings\`: change the setting there.`;

const EXAMPLE_SECTIONS: Record<ExampleSection, string> = {
  production: 'What production needs.',
  rotation: 'During a SECRET_KEY rotation (docs/deploy.md, Keys): the key before it.',
  postgres: `Servers on several machines share one PostgreSQL database instead of the SQLite file (docs/deploy.md,
SQLite or PostgreSQL); every machine needs the same SECRET_KEY.`,
  limits: 'Limits and housekeeping, at their defaults.',
  wecom: "WeCom, at its defaults (the simulator's URLs in tests and the demo).",
};

const EXAMPLE_FOOTER =
  `# Secrets may come from files instead (container and Kubernetes secrets); a variable and its ` +
  `_FILE
# together are an error.
{files}

# PORT is the unit's: each instance listens on its own (wecom-sp-login@3000, @3001).`;

/** deploy/wecom-sp-login.env.example: the production values to set, the rest commented at their defaults. */
export function environmentExample(): string {
  const settings: Array<Setting<unknown>> = Object.values(SETTINGS);
  const comment = (text: string) => text.replace(/^/gm, '# ');
  const sections = (Object.keys(EXAMPLE_SECTIONS) as ExampleSection[]).map((section) => {
    const lines = settings.flatMap(({variable, example}) => {
      if (example?.section !== section) return [];
      const line = `${example.set ? '' : '# '}${variable}=${example.value}`;
      return example.note ? [comment(example.note), line] : [line];
    });
    return [comment(EXAMPLE_SECTIONS[section]), ...lines].join('\n');
  });
  const files = fileVariables().map(
    (variable) => `# ${variable}_FILE=/run/secrets/wecom-sp-login-${variable.toLowerCase().replaceAll('_', '-')}`,
  );
  return [EXAMPLE_HEADER, ...sections, EXAMPLE_FOOTER.replace('{files}', files.join('\n'))].join('\n\n') + '\n';
}
