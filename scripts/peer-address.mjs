// Loaded before the web server (`npm start`, `npm run dev`): every incoming request gets the
// header `x-openfaka-peer` set to the socket's own address, written over anything the
// client sent. The app believes X-Forwarded-For only when this peer is a trusted proxy
// (TRUSTED_PROXIES, app/_lib/http.ts); Next.js itself keeps a client-sent X-Forwarded-For.
import http from 'node:http';

const PEER_HEADER = 'x-openfaka-peer';
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request') {
    const req = args[0];
    req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
  }
  return emit.call(this, event, ...args);
};
