"""A TCP relay in front of the site that the test can cut: offline for every request the browser makes (the page's,
its service worker's and the browser's own), whatever the driver offers (WebKitWebDriver has no network switch).

Online, it passes bytes both ways to the real server. Cut, it resets every open connection (keep-alive ones too)
and every new one at once: the browser and its service worker see the network fail, as on a phone with no signal,
while the site's origin (scheme, host, port) stays the same, so the service worker that controls it is the one
tested. The relay alone leaves `navigator.onLine` true (Firefox's BiDi emulation adds that): the app does not
depend on it."""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close sends RST
    with contextlib.suppress(OSError):
        sock.close()


class NetCut:
    def __init__(self, upstream_port: int) -> None:
        self._upstream = ("127.0.0.1", upstream_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._online = True
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self.refused = 0  # connections the browser tried while cut
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def set_online(self, online: bool) -> None:
        with self._lock:
            self._online = online
            if not online:
                for sock in list(self._open):
                    _reset(sock)
                self._open.clear()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if not self._online:
                    self.refused += 1
                    _reset(client)
                    continue
                try:
                    server = socket.create_connection(self._upstream, timeout=5)
                except OSError:
                    _reset(client)
                    continue
                server.settimeout(None)
                self._open.update((client, server))
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    def _pipe(self, client: socket.socket, server: socket.socket) -> None:
        sel = selectors.DefaultSelector()
        try:
            sel.register(client, selectors.EVENT_READ, server)
            sel.register(server, selectors.EVENT_READ, client)
            while True:
                for key, _ in sel.select():
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except (OSError, ValueError):
            return
        finally:
            sel.close()
            with self._lock:
                self._open.discard(client)
                self._open.discard(server)
            for sock in (client, server):
                with contextlib.suppress(OSError):
                    sock.close()

    def close(self) -> None:
        self._closed = True
        self.set_online(False)
        self._listener.close()
