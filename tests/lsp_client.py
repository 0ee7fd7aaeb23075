"""A minimal LSP client for the tests: JSON-RPC with Content-Length framing over a server's stdio."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections.abc import Callable
from typing import Any


class LspClient:
    """Talks to a server process: requests wait for their response, notifications are queued.

    Requests the server sends (``client/registerCapability``) are answered with ``null`` at once,
    as a client that accepts them does.
    """

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.notifications: queue.Queue[dict[str, Any]] = queue.Queue()
        self.responses: dict[int, dict[str, Any]] = {}
        self.arrived = threading.Condition()
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:  # a request from the server
                self._send({"id": message["id"], "result": None})
            elif "method" in message:
                self.notifications.put(message)
            else:
                with self.arrived:
                    self.responses[message["id"]] = message
                    self.arrived.notify_all()

    def request(self, method: str, params: Any, timeout: float = 10) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        with self.arrived:
            if not self.arrived.wait_for(lambda: number in self.responses, timeout):
                raise TimeoutError(f"no response to {method} in {timeout} s")
            response = self.responses.pop(number)
        if "error" in response:
            raise RuntimeError(response["error"])
        return response.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, method: str, match: Callable[[Any], bool], timeout: float = 10) -> Any:
        """The params of the next ``method`` notification that ``match`` accepts (others are dropped)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching {method} in {timeout} s")
            try:
                message = self.notifications.get(timeout=left)
            except queue.Empty:
                continue
            if message["method"] == method and match(message["params"]):
                return message["params"]

    def diagnostics(self, uri: str, timeout: float = 10) -> list[dict[str, Any]]:
        """The next diagnostics published for ``uri``."""
        params = self.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri, timeout)
        return list(params["diagnostics"])
