// Polls the sandbox every second and redraws the accounts and the request log.
'use strict';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function facebook(account) {
  return account.posts.map(post => el('article', {class: 'fb-post', id: 'post-' + post.id},
    el('div', {class: 'meta'}, account.name + ' · ' + post.created_time),
    el('p', {class: 'text'}, post.text),
    post.link ? el('a', {href: post.link}, post.link) : '',
    el('div', {}, ...post.media.map(src => el('img', {src: src, alt: ''}))),
    el('div', {class: 'meta'}, `${post.likes} likes · ${post.comments} comments · ${post.shares} shares`)));
}

function instagram(account) {
  return [el('div', {class: 'ig-grid'}, ...account.posts.map(post =>
    el('div', {class: 'ig-item', id: 'ig-' + post.id},
      el('img', {src: post.media[0] || '', alt: post.kind}),
      el('div', {class: 'caption'}, post.text),
      el('div', {class: 'meta'}, `${post.kind} · ♥ ${post.likes}`))))];
}

function youtube(account) {
  return account.posts.map(post => el('div', {class: 'yt-video', id: 'yt-' + post.id},
    el('div', {class: 'yt-thumb'}, post.media[0] ? el('img', {src: post.media[0], alt: ''}) : '▶'),
    el('div', {},
      el('div', {class: 'title'}, post.title),
      el('div', {class: 'meta'}, `${post.views} views · ${post.created_time}`))));
}

const renderers = {facebook, instagram, youtube};

function drawAccounts(data) {
  const section = document.getElementById('accounts');
  section.replaceChildren(...data.accounts.map(account => {
    const posts = account.posts.length ? renderers[account.platform](account)
                                       : [el('p', {class: 'empty'}, 'Nothing published yet.')];
    return el('div', {class: 'account ' + account.platform, 'data-account': account.id},
      el('h2', {}, `${account.name} (${account.platform})`), ...posts);
  }));
}

function drawLog(data) {
  const rows = data.requests.slice(-200).reverse().map(r => el('tr',
    {class: (r.fault ? 'fault ' : '') + (r.status >= 400 || r.status === 0 ? 'error' : '')},
    el('td', {}, r.time.substring(11)), el('td', {}, r.method), el('td', {}, r.path),
    el('td', {class: 'status'}, r.status === 0 ? 'dropped' : r.status), el('td', {}, r.fault || '')));
  document.getElementById('log-rows').replaceChildren(...rows);
}

async function refresh() {
  try {
    const [posts, log] = await Promise.all([
      fetch('/_sandbox/posts').then(r => r.json()),
      fetch('/_sandbox/requests').then(r => r.json())]);
    drawAccounts(posts);
    drawLog(log);
    document.getElementById('status').textContent = 'live · ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('status').textContent = 'sandbox unreachable';
  }
}

refresh();
setInterval(refresh, 1000);
