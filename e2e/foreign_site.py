"""Another web site on this machine: a second HTTP server on another loopback port, serving one
page that a test writes (e.g. a form that submits itself to STOrders, as a hostile page would).

127.0.0.1 on another port is another origin but the same site, so the browser still sends
STOrders' SameSite=Lax session cookie with the page's POST: only the server's own check of the
Origin (and of the form token) can refuse it.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ForeignSite:
    def __init__(self) -> None:
        self.page = "<!DOCTYPE html><title>empty</title>"
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                body = site.page.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
