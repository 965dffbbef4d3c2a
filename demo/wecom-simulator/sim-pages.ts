import {createHash} from 'node:crypto';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body{margin:0;font:14px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f3f5f7;
color:#1f2329}.card{max-width:380px;margin:32px auto;background:#fff;border-radius:10px;
box-shadow:0 2px 12px rgba(0,0,0,.08);padding:24px;text-align:center}
.brand{display:flex;align-items:center;justify-content:center;gap:8px;font-weight:600;font-size:16px;color:#0082ef;
margin-bottom:8px}.qr{width:180px;height:180px;margin:12px auto;display:block;border:8px solid #fff;
box-shadow:0 0 0 1px #e5e6eb}.hint{color:#646a73;margin:4px 0 16px}
.sim{border-top:1px dashed #d0d3d6;margin-top:16px;padding-top:12px;text-align:left}
.sim h2{font-size:12px;font-weight:600;color:#8f959e;text-transform:uppercase;letter-spacing:.04em;margin:0 0 8px}
.sim a{display:block;padding:8px 10px;border-radius:6px;color:#1f2329;text-decoration:none;border:1px solid #e5e6eb;
margin-bottom:6px}.sim a:hover,.sim a:focus{border-color:#0082ef;background:#f0f7ff;outline:none}
.cancel{display:inline-block;margin-top:8px;color:#8f959e}.error{color:#d83931;font-weight:600}
code{font-size:12px;color:#8f959e}@media (max-height:480px){body{background:#fff}
.card{margin:0 auto;padding:12px 16px;box-shadow:none;max-width:480px}
.qr-login{display:grid;grid-template-columns:170px 1fr;gap:0 16px}
.qr-login .qr{width:150px;height:150px;margin:4px auto}.qr-login .hint{margin:0 0 8px}
.qr-login .sim{grid-area:1/2/4;margin:0;padding:0 0 0 16px;border:0;border-left:1px dashed #d0d3d6;
max-height:calc(100vh - 64px);overflow:auto}}`;

const LOGO =
  `<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="11" ` +
  `fill="#0082ef"/><path d="M7 9.5c0-2 2.2-3.5 5-3.5s5 1.5 5 3.5-2.2 3.5-5 3.5c-.6 0-1.2-.1-1.7-.2L8.5 ` +
  `14l.4-1.8C7.7 11.5 7 10.6 7 9.5z" fill="#fff"/><circle cx="16.5" cy="16" r="2.5" fill="#ffc233"/></svg>`;

/** A simulator page. The simulator is a stand-in for WeCom's own pages, so it may be framed. */
export function simPage(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head><body><div class="card"><div class="brand">${LOGO}<span>企业微信 WeCom</span><span style="color:#8f959e;font-weight:400">· simulator</span></div>${body}</div></body></html>`;
}

/** WeCom's refusal page (e.g. "校验请求来源错误"). */
export function errorPage(message: string, detail: string): string {
  return simPage(message, `<p class="error">${escape(message)}</p><p class="hint">${escape(detail)}</p>`);
}

/** How many identities the "scan as" list shows; a load run's hundreds can still scan by key. */
const LISTED_IDENTITIES = 12;

/** The QR login page with the simulator's "scan as" list. */
export function qrPage(options: {
  key: string;
  usertype: 'admin' | 'member';
  identities: {key: string; label: string}[];
  target?: '_top';
}): string {
  const target = options.target ? ` target="${options.target}"` : '';
  const scanWith =
    options.usertype === 'admin' ? '请使用微信扫码登录 · Scan with WeChat' : '请使用企业微信扫码登录 · Scan with WeCom';
  const links = options.identities
    .slice(0, LISTED_IDENTITIES)
    .map(
      (i) =>
        `<a ` +
        `href="/wwopen/sso/sim/scan?key=${encodeURIComponent(options.key)}&amp;as=${encodeURIComponent(i.key)}" ` +
        `data-identity="${escape(i.key)}"${target}>${escape(i.label)}</a>`,
    )
    .join('');
  // In WeCom's 480×416 embedded panel, the scan list sits beside the QR code and scrolls on its own.
  return simPage(
    '企业微信登录',
    `<div class="qr-login">${qrSvg(options.key)}<p class="hint">${scanWith}</p>
<div class="sim"><h2>Simulator · scan as</h2>${links}</div>
<a class="cancel" id="cancel" href="/wwopen/sso/sim/cancel?key=${encodeURIComponent(options.key)}"${target}>取消 · ` +
      `Cancel</a></div>`,
  );
}

/** The admin console's third-party app list: "业务设置" opens the provider's URL with an auth_code. */
export function adminConsolePage(
  apps: {corpId: string; url: string}[],
  admins: {key: string; label: string}[],
): string {
  const body =
    apps.length === 0
      ? '<p class="hint">No provider has a 业务设置URL configured.</p>'
      : apps
          .map(
            (app) =>
              `<div class="sim"><h2>${escape(app.corpId)} · 业务设置</h2><p ` +
              `class="hint"><code>${escape(app.url)}</code></p>${admins
                .map(
                  (a) =>
                    `<a href="/sim/admin-console/launch?provider=${encodeURIComponent(app.corpId)}` +
                    `&amp;as=${encodeURIComponent(a.key)}" data-identity="${escape(a.key)}">${escape(a.label)}</a>`,
                )
                .join('')}</div>`,
          )
          .join('');
  return simPage(
    '企业微信管理后台 · Admin console',
    `<p><strong>管理后台 · Admin console</strong></p><p class="hint">Open the provider's app as an admin (no ` +
      `QR).</p>${body}`,
  );
}

/**
 * oauth2/authorize outside the WeCom client: WeCom's own sentence, no redirect. The simulator adds
 * what no real page has: a list to continue as a member, as if the link had been opened in WeCom.
 */
export function notInClientPage(
  continueUrl: string,
  identities: readonly {key: string; label: string; wechatOnly?: boolean}[],
): string {
  const links = identities
    .slice(0, LISTED_IDENTITIES)
    .map(
      (i) =>
        `<a href="${escape(`${continueUrl}&as=${encodeURIComponent(i.key)}`)}" ` +
        `data-identity="${escape(i.key)}">${escape(i.label)}</a>`,
    )
    .join('');
  return simPage(
    '请在企业微信客户端打开链接',
    `<p class="error">请在企业微信客户端打开链接</p><p class="hint">Open this link in the WeCom app.</p>
<div class="sim"><h2>Simulator · continue in WeCom as</h2>${links}</div>`,
  );
}

/** snsapi_privateinfo's consent page: 同意 comes back with a code, 拒绝 without one. */
export function consentPage(allowUrl: string, denyUrl: string): string {
  return simPage(
    '授权',
    `<p><strong>应用请求获取你的头像、二维码等信息</strong></p><p class="hint">The app asks for your profile.</p>
<div class="sim"><a id="allow" href="${escape(allowUrl)}">同意 · Allow</a><a id="deny" href="${escape(denyUrl)}">拒绝 · ` +
      `Deny</a></div>`,
  );
}

/** The WeCom workbench (工作台): each app suite's 应用主页, opened as a member inside the client. */
export function workbenchPage(
  apps: {suiteId: string; url: string}[],
  members: readonly {key: string; label: string}[],
): string {
  const body =
    apps.length === 0
      ? '<p class="hint">No app suite has a 应用主页 configured.</p>'
      : apps
          .map(
            (app) =>
              `<div class="sim"><h2>${escape(app.suiteId)} · 应用主页</h2><p ` +
              `class="hint"><code>${escape(app.url)}</code></p>${members
                .slice(0, LISTED_IDENTITIES)
                .map(
                  (m) =>
                    `<a href="/sim/workbench/open?suite=${encodeURIComponent(app.suiteId)}` +
                    `&amp;as=${encodeURIComponent(m.key)}" data-identity="${escape(m.key)}">${escape(m.label)}</a>`,
                )
                .join('')}</div>`,
          )
          .join('');
  return simPage(
    '工作台 · Workbench',
    `<p><strong>工作台 · Workbench</strong></p><p class="hint">Open the provider's app inside WeCom as a ` +
      `member (no QR).</p>${body}`,
  );
}

/** A QR-looking picture derived from the key: three finder squares and hashed modules. */
function qrSvg(key: string): string {
  const bits = createHash('sha512').update(key).digest();
  const size = 25;
  const finder = (x: number, y: number) => (x < 7 && y < 7) || (x >= size - 7 && y < 7) || (x < 7 && y >= size - 7);
  let cells = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (finder(x, y)) continue;
      const i = y * size + x;
      if ((bits[i % 64]! >> (i % 8)) & 1) cells += `M${x} ${y}h1v1h-1z`;
    }
  }
  const square = (x: number, y: number) =>
    `<path d="M${x} ${y}h7v7h-7zM${x + 1} ${y + 1}v5h5v-5z" fill-rule="evenodd"/><path d="M${x + 2} ` +
    `${y + 2}h3v3h-3z"/>`;
  return (
    `<svg class="qr" viewBox="0 0 ${size} ${size}" role="img" aria-label="QR code" ` +
    `shape-rendering="crispEdges"><path ` +
    `d="${cells}"/>${square(0, 0)}${square(size - 7, 0)}${square(0, size - 7)}</svg>`
  );
}
