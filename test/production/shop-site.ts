import type http from 'node:http';

/**
 * A host site as a site owner writes it: the element's script from the login server and one tag per
 * page. `/` has a popup and a redirect button, `/embedded` the QR panel, `/app` (the launch URL) a
 * plain element that redeems the ticket it comes back with.
 */
export function createShopSite({loginUrl, connection}: {loginUrl: string; connection: string}): http.RequestListener {
  const page = (title: string, elements: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script type="module" src="${loginUrl}/widget/wecom-sp-login.js"></script>
<style>body{font:16px system-ui,sans-serif;margin:40px}wecom-sp-login{display:block;margin:16px 0}</style></head>
<body><h1>Shop · ${title}</h1>${elements}</body></html>`;
  const element = (id: string, mode: string) => `<wecom-sp-login id="${id}" server="${loginUrl}" connection="${connection}" mode="${mode}" lang="en"></wecom-sp-login>`;
  const pages: Record<string, string> = {
    '/': page('Sign in', element('popup-login', 'popup') + element('redirect-login', 'redirect')),
    '/embedded': page('Scan to sign in', element('embedded-login', 'embedded')),
    '/app': page('App', element('launch-login', 'popup')),
  };
  return (request, response) => {
    const body = pages[new URL(request.url!, 'http://shop').pathname];
    response.writeHead(body ? 200 : 404, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
    response.end(body ?? 'Not found');
  };
}
