import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves once the server has sent a status line: its code. */
  status: Promise<number>;
  /** Resolves when the connection is closed, by either side, with the bytes the client wrote. */
  closed: Promise<number>;
}

/** A plain TCP connection to a loopback server, to send what no HTTP client would. */
export function rawConnect(port: number, host = '127.0.0.1'): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let received = '';
    let setStatus: (code: number) => void = () => {};
    const status = new Promise<number>((r) => {
      setStatus = r;
    });
    socket.on('data', (chunk) => {
      received += String(chunk);
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) setStatus(Number(match[1]));
    });
    // A reset while the client still writes is one of the expected ways for the server to hang up.
    socket.on('error', () => {});
    const closed = new Promise<number>((r) => socket.once('close', () => r(socket.bytesWritten)));
    socket.once('connect', () => resolve({ socket, received: () => received, status, closed }));
    socket.once('error', reject);
  });
}

/**
 * Writes `chunk` again and again, as fast as the server reads, until `maxBytes` or the connection
 * ends; resolves with the bytes written.
 */
export function streamUntilClosed(socket: Socket, chunk: Buffer, maxBytes: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const finish = () => resolve(written);
    socket.once('close', finish);
    const pump = () => {
      while (written < maxBytes && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (written >= maxBytes) finish();
    };
    pump();
  });
}
