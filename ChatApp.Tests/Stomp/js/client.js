// A real @stomp/stompjs client driven by the xunit suite (ChatApp.Tests/Stomp/StompJsClient.cs).
// Commands come as JSON lines on stdin; everything the client sees goes out as JSON lines on stdout.
//   node client.js ws://127.0.0.1:port/stomp
// Commands: {"op":"connect","login","passcode","versions":["1.2",...],"heartbeat":[out,in],"origin"?}
//           {"op":"subscribe","destination","headers"?}   {"op":"unsubscribe","id"}
//           {"op":"send","destination","body","headers"?,"receipt"?}   {"op":"disconnect"}   {"op":"stopHeartbeats"}
'use strict';
const { Client, Versions } = require('@stomp/stompjs');
const WebSocket = require('ws');
const readline = require('readline');

const url = process.argv[2];
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
let client = null;
let socket = null;

function connect(cmd) {
  client = new Client({
    brokerURL: url,
    connectHeaders: { login: cmd.login, passcode: cmd.passcode },
    stompVersions: new Versions(cmd.versions || ['1.2', '1.1', '1.0']),
    heartbeatOutgoing: (cmd.heartbeat || [0, 0])[0],
    heartbeatIncoming: (cmd.heartbeat || [0, 0])[1],
    reconnectDelay: 0,
    webSocketFactory: () => {
      socket = new WebSocket(url, new Versions(cmd.versions || ['1.2', '1.1', '1.0']).protocolVersions(),
        cmd.origin ? { origin: cmd.origin } : {});
      socket.on('unexpected-response', (req, res) => out({ ev: 'http', status: res.statusCode }));
      return socket;
    },
    onConnect: (frame) => out({ ev: 'connected', headers: frame.headers, protocol: socket.protocol }),
    onStompError: (frame) => out({ ev: 'error', headers: frame.headers, body: frame.body }),
    onWebSocketClose: (e) => out({ ev: 'close', code: e.code }),
    onUnhandledMessage: (m) => out({ ev: 'unhandled', headers: m.headers, body: m.body }),
    onUnhandledReceipt: (r) => out({ ev: 'receipt', id: r.headers['receipt-id'] }),
  });
  client.activate();
}

function handle(cmd) {
  switch (cmd.op) {
    case 'connect': connect(cmd); break;
    case 'subscribe': {
      const sub = client.subscribe(cmd.destination,
        (m) => out({ ev: 'message', subscription: m.headers.subscription, headers: m.headers, body: m.body }),
        cmd.headers || {});
      out({ ev: 'subscribed', id: sub.id, destination: cmd.destination });
      break;
    }
    case 'unsubscribe': client.unsubscribe(cmd.id); break;
    case 'send': {
      const headers = Object.assign({}, cmd.headers || {});
      if (cmd.receipt) headers.receipt = cmd.receipt;
      client.publish({ destination: cmd.destination, body: cmd.body, headers });
      break;
    }
    case 'stopHeartbeats':
      // Simulates a frozen client: the socket stays open but nothing more is sent.
      socket.send = () => {};
      out({ ev: 'stopped' });
      break;
    case 'disconnect':
      client.deactivate().then(() => out({ ev: 'deactivated' }));
      break;
    case 'exit': process.exit(0);
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  try { handle(JSON.parse(line)); } catch (e) { out({ ev: 'exception', message: String(e) }); }
});
process.stdin.on('end', () => process.exit(0));
