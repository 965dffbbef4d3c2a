import type http from 'node:http';

/**
 * A host site as a site owner writes it: the element's script from the login server and one tag per
 * page. `/` has a popup and a redirect button, `/embedded` the QR panel, `/app` (the launch URL) a
 * plain element that redeems the ticket it comes back with, and `/new` a popup and a panel on the
 * connection of WeCom's new login.
 */
export function createShopSite({
  loginUrl,
  connection,
  newLoginConnection,
}: {
  loginUrl: string;
  connection: string;
  newLoginConnection?: string;
}): http.RequestListener {
  const page = (
    title: string,
    elements: string,
  ) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script type="module" src="${loginUrl}/widget/wecom-sp-login.js"></script>
<style>body{font:16px system-ui,sans-serif;margin:40px}wecom-sp-login{display:block;margin:16px 0}</style></head>
<body><h1>Shop · ${title}</h1>${elements}</body></html>`;
  const element = (id: string, mode: string, of = connection) =>
    `<wecom-sp-login id="${id}" server="${loginUrl}" connection="${of}" mode="${mode}" lang="en"></wecom-sp-login>`;
  const pages: Record<string, string> = {
    '/': page('Sign in', element('popup-login', 'popup') + element('redirect-login', 'redirect')),
    '/embedded': page('Scan to sign in', element('embedded-login', 'embedded')),
    '/app': page('App', element('launch-login', 'popup')),
    // WeCom's new login (login_type=ServiceApp) on its own connection.
    ...(newLoginConnection && {
      '/new': page(
        'Sign in (new login)',
        element('popup-login', 'popup', newLoginConnection) + element('embedded-login', 'embedded', newLoginConnection),
      ),
    }),
  };
  return (request, response) => {
    const body = pages[new URL(request.url!, 'http://shop').pathname];
    response.writeHead(body ? 200 : 404, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
    response.end(body ?? 'Not found');
  };
}
