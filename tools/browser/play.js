// Plays media files in Debian's Chromium and prints one JSON line per file.
// Usage: node play.js element FILE...        (<video> on a finished file)
//        node play.js mse MIME FILE...       (Media Source Extensions on a fragmented file)
// Serves the files on 127.0.0.1 only; Chromium runs headless with networking features off.
'use strict';
const { chromium } = require('playwright-core');
const http = require('http');
const fs = require('fs');
const path = require('path');

async function main() {
  const [mode, ...rest] = process.argv.slice(2);
  const mime = mode === 'mse' ? rest.shift() : null;
  const files = rest.map((f) => path.resolve(f));
  const server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body></body></html>');
      return;
    }
    const index = Number(req.url.slice(1));
    if (!(index >= 0 && index < files.length)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'video/mp4' });
    res.end(fs.readFileSync(files[index]));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(base + '/');
    for (let i = 0; i < files.length; i++) {
      const url = `${base}/${i}`;
      const result = mode === 'mse'
        ? await page.evaluate(playMse, { url, mime })
        : await page.evaluate(playElement, { url });
      result.file = files[i];
      console.log(JSON.stringify(result));
    }
  } finally {
    await browser.close();
    server.close();
  }
}

// Plays a finished file in a <video> element until 1 s (or near its end) or an error.
async function playElement({ url }) {
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  return await new Promise((resolve) => {
    const done = (extra) => resolve(Object.assign({
      duration: v.duration, width: v.videoWidth, height: v.videoHeight, currentTime: v.currentTime,
      error: v.error ? `${v.error.code} ${v.error.message}` : null }, extra));
    v.onerror = () => done({ ok: false });
    v.ontimeupdate = () => {
      if (v.currentTime >= Math.min(1.0, v.duration - 0.3)) done({ ok: true });
    };
    v.onloadedmetadata = () => v.play().catch((e) => done({ ok: false, play: String(e) }));
    setTimeout(() => done({ ok: false, timeout: true }), 15000);
    v.src = url;
  });
}

// Appends a whole fragmented file to a SourceBuffer, then plays it.
async function playMse({ url, mime }) {
  if (!MediaSource.isTypeSupported(mime)) return { ok: false, unsupported: mime };
  const bytes = await (await fetch(url)).arrayBuffer();
  const ms = new MediaSource();
  const v = document.createElement('video');
  v.muted = true;
  document.body.appendChild(v);
  v.src = URL.createObjectURL(ms);
  await new Promise((r) => ms.addEventListener('sourceopen', r, { once: true }));
  const sb = ms.addSourceBuffer(mime);
  const appended = await new Promise((resolve) => {
    sb.addEventListener('updateend', () => resolve(true), { once: true });
    sb.addEventListener('error', () => resolve(false), { once: true });
    sb.appendBuffer(bytes);
  });
  const ranges = [];
  for (let i = 0; i < sb.buffered.length; i++) ranges.push([sb.buffered.start(i), sb.buffered.end(i)]);
  if (!appended) return { ok: false, appendError: true, ranges, error: v.error && v.error.message };
  ms.endOfStream();
  return await new Promise((resolve) => {
    const done = (extra) => resolve(Object.assign({ ranges, currentTime: v.currentTime,
      width: v.videoWidth, height: v.videoHeight, error: v.error ? v.error.message : null }, extra));
    v.onerror = () => done({ ok: false });
    v.ontimeupdate = () => { if (v.currentTime >= 1.0) done({ ok: true }); };
    v.play().catch((e) => done({ ok: false, play: String(e) }));
    setTimeout(() => done({ ok: false, timeout: true }), 15000);
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
