/**
 * The CLI arguments that add the connection "acme" (secret read from stdin, one allowed origin),
 * the same in every CLI test so that each reads what it checks, not how the connection was made.
 */
export const ADD_ACME_CONNECTION: readonly string[] = [
  'connections',
  'add',
  '--identifier',
  'acme',
  '--display-name',
  'Acme',
  '--corp-id',
  'ww0123456789abcdef',
  '--provider-secret-stdin',
  '--allowed-origin',
  'https://shop.example',
];

/**
 * The CLI arguments that add a service-app connection named `identifier` (the Secret read from stdin,
 * callback secrets generated, one allowed origin).
 */
export function addServiceAppConnection(identifier: string): string[] {
  return [
    'connections',
    'add',
    '--identifier',
    identifier,
    '--display-name',
    'Acme',
    '--corp-id',
    'ww0123456789abcdef',
    '--flow',
    'service-app',
    '--suite-id',
    'wwabcdef0123456789',
    '--suite-secret-stdin',
    '--generate-callback-secrets',
    '--allowed-origin',
    'https://shop.example',
  ];
}
