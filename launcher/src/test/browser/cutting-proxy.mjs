// A TCP proxy between the browser and ingest-service that paces what the browser sends and can drop the network:
// cut every open connection and refuse new ones until it is restored. Going offline in the browser alone does not
// end a request already in flight; this does, as a real lost connection would.

import net from 'node:net';

export async function startCuttingProxy(targetPort, bytesPerSecond) {
  const sockets = new Set();
  let down = false;
  const server = net.createServer(client => {
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.on('data', chunk => {
      upstream.write(chunk);
      // Pacing the upload side keeps a large upload in flight long enough to be cut half-way.
      client.pause();
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
    upstream.pipe(client);
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    cutAll() {
      down = true;
      for (const socket of sockets) {
        socket.destroy();
      }
      sockets.clear();
    },
    restore() {
      down = false;
    },
    close() {
      this.cutAll();
      return new Promise(resolve => server.close(resolve));
    },
  };
}
