// STOMP fan-out figure: N stompjs subscribers on /topic/chat, one sender posting over HTTP at a steady rate;
// prints deliveries per second (MESSAGE frames received by all subscribers together).
//   node fanout.js http://127.0.0.1:5000 [subscribers=1000] [messagesPerSecond=20] [seconds=10]
'use strict';
const { Client } = require('@stomp/stompjs');
const WebSocket = require('ws');

const [base, n = '1000', rate = '20', seconds = '10'] = process.argv.slice(2);
const wsUrl = base.replace(/^http/, 'ws') + '/stomp';

async function signIn(name) {
  const r = await fetch(base + '/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  return (await r.json()).token;
}

function subscriber(login, token, onMessage) {
  return new Promise((resolve) => {
    const c = new Client({
      brokerURL: wsUrl, connectHeaders: { login, passcode: token }, reconnectDelay: 0,
      heartbeatIncoming: 0, heartbeatOutgoing: 0,
      webSocketFactory: () => new WebSocket(wsUrl, ['v12.stomp']),
      onConnect: () => { c.subscribe('/topic/chat', (m) => { if (!m.headers.roster) onMessage(); }); resolve(c); },
    });
    c.activate();
  });
}

(async () => {
  const name = 'fan' + Date.now() % 100000;
  const token = await signIn(name);
  const sender = await signIn(name + 's');
  let delivered = 0;
  const clients = [];
  for (let i = 0; i < +n; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(+n, i + 50); j++) batch.push(subscriber(name, token, () => delivered++));
    clients.push(...await Promise.all(batch));
  }
  await new Promise((r) => setTimeout(r, 1000));
  delivered = 0;
  const start = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    fetch(base + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + sender }, body: JSON.stringify({ text: 'fan ' + sent++ }) });
  }, 1000 / +rate);
  await new Promise((r) => setTimeout(r, +seconds * 1000));
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 2000)); // let the last ones arrive
  const elapsed = (Date.now() - start) / 1000;
  console.log(JSON.stringify({ subscribers: +n, sent, delivered, expected: sent * +n, deliveriesPerSecond: Math.round(delivered / elapsed), elapsedSeconds: elapsed }));
  for (const c of clients) c.deactivate();
  process.exit(0);
})();
