// The demo page's own script: plain JavaScript, as a site owner might write it. It listens to the
// elements' events, shows the decoded token, asks this site's backend to verify it, and switches
// language and theme.

const TEXT = {
  en: {
    shop: 'Acme Shop',
    language: 'Language',
    theme: 'Theme',
    light: 'Light',
    dark: 'Dark',
    auto: 'Auto',
    flow: 'WeCom login',
    flowLegacy: 'Provider QR login',
    flowServiceApp: 'New login (ServiceApp)',
    noUsertype: 'WeCom gives no role in this login',
    title: 'Log in with WeCom, three ways',
    intro:
      'This page is a host site on its own origin. Each box is the same tag; only mode differs. The login ' +
      'server and the WeCom simulator run on two more origins.',
    redirectTitle: 'Full-page redirect',
    redirectText: 'The page goes to WeCom and comes back with a one-time ticket, which the element redeems.',
    popupTitle: 'Popup',
    popupText: "The default. WeCom's QR page opens in a small window; the result comes back by postMessage.",
    embeddedTitle: 'Embedded QR panel',
    embeddedText: 'The QR code in place, in a framed panel only this origin may embed.',
    sessionTitle: 'Signed in',
    sessionEmpty: 'No one yet. Log in with any box above.',
    eventsTitle: 'Events',
    eventsText: 'What the page hears: wecom-login-start, -success and -error, from every element.',
    copy: 'Copy',
    copied: 'Copied',
    verifyTitle: 'Verify on your backend',
    verifyText:
      "Never trust the token in the browser. This site's backend runs exactly this code (POST /api/verify) " +
      'on every token it receives:',
    launchTitle: 'Launch from the WeCom admin console',
    launchText:
      "An admin opens the app from WeCom's admin console (业务设置): WeCom calls the login server's launch URL " +
      'with an auth_code, and the admin lands on this site logged in, with no QR code.',
    launchLink: 'Open the simulated admin console →',
    inWecomTitle: 'Inside WeCom: no QR code',
    inWecomText:
      'Members who open the site inside the WeCom app (its workbench, a link in a chat) cannot scan a QR ' +
      "code. There every box above becomes one button: it sends WeCom's webview to WeCom's own " +
      'authorization, which comes straight back with a code, and the member is logged in with no page and ' +
      "no tap. The workbench entry goes through the login server's /workbench URL and lands here logged in.",
    inWecomLink: 'Open the app from the simulated WeCom workbench →',
    openidTitle: 'Apps without the tag: OpenID Connect',
    openidText:
      'Grafana, GitLab or Keycloak cannot embed the tag. They log in through the login server’s OpenID provider ' +
      'at /oidc, with the same WeCom login. This site’s team app does it with openid-client.',
    openidLink: 'Open the team app →',
    verifying: 'Verifying…',
    verified: 'Verified by this site’s backend',
    rejected: 'Rejected by the backend',
    usertype: {1: 'creator', 2: 'internal admin', 3: 'external admin', 4: 'department admin', 5: 'member'},
  },
  'zh-CN': {
    shop: 'Acme 商城',
    language: '语言',
    theme: '主题',
    light: '浅色',
    dark: '深色',
    auto: '跟随系统',
    flow: '企业微信登录方式',
    flowLegacy: '服务商扫码登录',
    flowServiceApp: '新版登录授权 (ServiceApp)',
    noUsertype: '此登录方式不提供身份类型',
    title: '企业微信登录的三种方式',
    intro:
      '本页是一个独立来源的接入网站。每个方框都是同一个标签，只有 mode 不同。' +
      '登录服务器和企业微信模拟器运行在另外两个来源上。',
    redirectTitle: '整页跳转',
    redirectText: '页面跳转到企业微信，带着一次性票据回来，由组件兑换。',
    popupTitle: '弹出窗口',
    popupText: '默认方式。企业微信扫码页在小窗口中打开，结果通过 postMessage 传回。',
    embeddedTitle: '内嵌二维码',
    embeddedText: '二维码直接显示在页面中，只有本来源可以嵌入该面板。',
    sessionTitle: '已登录用户',
    sessionEmpty: '还没有人登录。用上面任一方式登录。',
    eventsTitle: '事件',
    eventsText: '页面收到的 wecom-login-start、-success 和 -error 事件（来自所有组件）。',
    copy: '复制',
    copied: '已复制',
    verifyTitle: '在后端验证令牌',
    verifyText: '不要在浏览器中信任令牌。本站后端对收到的每个令牌运行的正是这段代码（POST /api/verify）：',
    launchTitle: '从企业微信管理后台进入',
    launchText:
      '管理员从企业微信管理后台（业务设置）打开应用：企业微信携带 auth_code 调用登录服务器的业务设置 URL，' +
      '管理员无需扫码即登录本站。',
    launchLink: '打开模拟的管理后台 →',
    inWecomTitle: '在企业微信里：无需扫码',
    inWecomText:
      '成员在企业微信客户端内（工作台、聊天中的链接）打开本站时无法扫码。此时上面每个方框都变成一个按钮：' +
      '它把企业微信内置浏览器送到企业微信自己的网页授权，授权立即带着 code ' +
      '返回，成员无需任何页面或点击即登录。工作台入口经由登录服务器的 /workbench 地址，登录后回到本站。',
    inWecomLink: '从模拟的企业微信工作台打开应用 →',
    openidTitle: '不能嵌入标签的应用：OpenID Connect',
    openidText:
      'Grafana、GitLab、Keycloak 等应用无法嵌入标签，它们通过登录服务器位于 /oidc 的 OpenID 提供方，' +
      '用同样的企业微信登录。本站的团队应用用 openid-client 演示这一点。',
    openidLink: '打开团队应用 →',
    verifying: '验证中…',
    verified: '已由本站后端验证',
    rejected: '后端拒绝了该令牌',
    usertype: {1: '创建者', 2: '内部系统管理员', 3: '外部系统管理员', 4: '分级管理员', 5: '成员'},
  },
};

const settings = {
  lang: localStorage.getItem('demo-lang') ?? (navigator.language.startsWith('zh') ? 'zh-CN' : 'en'),
  theme: localStorage.getItem('demo-theme') ?? 'light',
};
const elements = () => document.querySelectorAll('wecom-sp-login');
const $ = (id) => document.getElementById(id);
let lastSession = null;

function apply() {
  const text = TEXT[settings.lang];
  document.documentElement.lang = settings.lang;
  document.documentElement.dataset.theme = settings.theme;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = text[node.dataset.i18n];
  for (const node of document.querySelectorAll('[data-i18n-label]'))
    node.setAttribute('aria-label', text[node.dataset.i18nLabel]);
  for (const link of document.querySelectorAll('[data-flow-link]')) {
    if (link.dataset.flowLink === document.body.dataset.flow) link.setAttribute('aria-current', 'page');
  }
  for (const button of document.querySelectorAll('button[data-lang]'))
    button.setAttribute('aria-pressed', String(button.dataset.lang === settings.lang));
  for (const button of document.querySelectorAll('button[data-theme]'))
    button.setAttribute('aria-pressed', String(button.dataset.theme === settings.theme));
  for (const element of elements()) {
    element.lang = settings.lang;
    element.theme = settings.theme;
  }
  if (lastSession) showSession(lastSession);
}

/** The JWT's payload, decoded for display only: the backend is what verifies it. */
function decodeClaims(idToken) {
  return JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
    ),
  );
}

function showSession(session) {
  lastSession = session;
  const text = TEXT[settings.lang];
  const {user, claims, verification} = session;
  $('session-empty').hidden = true;
  $('session-user').hidden = false;
  $('avatar').textContent = user.name.slice(0, 1).toUpperCase();
  $('user-name').textContent = user.name;
  $('user-corp').textContent =
    `${user.corpId} · ` +
    `${user.usertype === undefined ? text.noUsertype : (text.usertype[user.usertype] ?? user.usertype)}`;
  const badge = $('verified');
  badge.className = `badge ${verification === null ? '' : verification.valid ? 'ok' : 'bad'}`;
  badge.textContent =
    verification === null
      ? text.verifying
      : verification.valid
        ? `✓ ${text.verified}`
        : `✗ ${text.rejected}: ${verification.error}`;
  $('claims').replaceChildren(
    ...Object.entries(claims).flatMap(([name, value]) => {
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent =
        name === 'iat' || name === 'exp' ? `${value} (${new Date(value * 1000).toLocaleTimeString()})` : String(value);
      return [term, detail];
    }),
  );
}

function logEvent(event) {
  const item = document.createElement('li');
  item.className = event.type.replace('wecom-login-', '');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  const type = document.createElement('span');
  type.className = 'type';
  type.textContent = event.type;
  const detail = document.createElement('span');
  detail.textContent =
    event.type === 'wecom-login-success'
      ? event.detail.user.name
      : event.type === 'wecom-login-error'
        ? `${event.detail.code}: ${event.detail.message}`
        : event.detail.mode;
  item.append(time, type, detail);
  $('log').prepend(item);
}

// The events bubble and are composed, so one listener on the document hears every element.
for (const type of ['wecom-login-start', 'wecom-login-success', 'wecom-login-error'])
  document.addEventListener(type, logEvent);
document.addEventListener('wecom-login-success', async (event) => {
  const {idToken, user} = event.detail;
  const session = {user, claims: decodeClaims(idToken), verification: null};
  showSession(session);
  const response = await fetch('/api/verify', {
    method: 'POST',
    headers: {'content-type': 'application/json'},
    body: JSON.stringify({idToken}),
  });
  showSession({...session, verification: await response.json()});
});

for (const button of document.querySelectorAll('button[data-lang]')) {
  button.addEventListener('click', () => {
    settings.lang = button.dataset.lang;
    localStorage.setItem('demo-lang', settings.lang);
    apply();
  });
}
for (const button of document.querySelectorAll('button[data-theme]')) {
  button.addEventListener('click', () => {
    settings.theme = button.dataset.theme;
    localStorage.setItem('demo-theme', settings.theme);
    apply();
  });
}
$('copy').addEventListener('click', async () => {
  await navigator.clipboard.writeText($('snippet').textContent);
  $('copy').textContent = TEXT[settings.lang].copied;
});
$('origin').textContent = location.host;
apply();
