// One call between two browsers that may only use TURN relays: two RTCPeerConnections in one
// headless Chromium page, iceTransportPolicy "relay", a data channel, one message each way.
// Usage: node relay-call.mjs '<json>' with {chromium, iceServer: {urls, username, credential},
// timeoutMs}. Prints one JSON line: {"ok": bool, "detail": "...", "candidates": [...]}; exits 0
// whatever the call's outcome (the caller judges it), non-zero only when the browser could not run.
import puppeteer from 'puppeteer-core';

const input = JSON.parse(process.argv[2]);

const browser = await puppeteer.launch({
  executablePath: input.chromium,
  headless: true,
  // Root in CI needs --no-sandbox. The TURN server and its relays are on loopback, which Chromium
  // leaves out of WebRTC's networks unless told to include it.
  args: ['--no-sandbox', '--allow-loopback-in-peer-connection', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  const result = await page.evaluate(async ({ iceServer, timeoutMs }) => {
    const config = { iceServers: [iceServer], iceTransportPolicy: 'relay' };
    const a = new RTCPeerConnection(config);
    const b = new RTCPeerConnection(config);
    const candidates = [];
    const gathered = { a: 0, b: 0 };
    const errors = [];
    const wire = (from, to, name) => {
      from.onicecandidate = (e) => {
        if (e.candidate) {
          gathered[name]++;
          candidates.push(name + ' ' + e.candidate.candidate);
          to.addIceCandidate(e.candidate).catch((err) => errors.push(String(err)));
        }
      };
      from.onicecandidateerror = (e) => errors.push(name + ' ' + e.errorCode + ' ' + e.errorText);
    };
    wire(a, b, 'a');
    wire(b, a, 'b');
    const outcome = new Promise((resolve) => {
      const timer = setTimeout(
        () => resolve({ ok: false, detail: 'no data channel within ' + timeoutMs + ' ms' }),
        timeoutMs);
      const done = (r) => { clearTimeout(timer); resolve(r); };
      const channel = a.createDataChannel('probe');
      b.ondatachannel = (e) => {
        e.channel.onmessage = (m) => e.channel.send('pong:' + m.data);
      };
      channel.onopen = () => channel.send('ping');
      channel.onmessage = (m) => done({ ok: m.data === 'pong:ping', detail: 'echo ' + m.data });
      for (const [name, pc] of [['a', a], ['b', b]]) {
        pc.oniceconnectionstatechange = () => {
          if (pc.iceConnectionState === 'failed') {
            done({ ok: false, detail: name + ' ICE failed' });
          }
        };
        pc.onicegatheringstatechange = () => {
          if (pc.iceGatheringState === 'complete' && gathered[name] === 0) {
            done({ ok: false, detail: name + ' gathered no relay candidate' });
          }
        };
      }
    });
    const offer = await a.createOffer();
    await a.setLocalDescription(offer);
    await b.setRemoteDescription(offer);
    const answer = await b.createAnswer();
    await b.setLocalDescription(answer);
    await a.setRemoteDescription(answer);
    const r = await outcome;
    a.close();
    b.close();
    return { ...r, candidates, errors };
  }, input);
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
